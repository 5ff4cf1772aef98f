import type { Paragraph, PhrasingContent, Root } from 'mdast';
import type { EntryBody } from '../model.ts';
import { htmlToMdast } from './htmlToMdast.ts';
import { markdownToMdast } from './markdown.ts';

/** Every body form an importer may hand over, as one Markdown syntax tree. */
export function bodyToMdast(body: EntryBody): Root {
  switch (body.type) {
    case 'html':
      return htmlToMdast(body.value, body.base);
    case 'markdown':
      return markdownToMdast(body.value);
    case 'text':
      return plainTextToMdast(body.value);
    case 'mdast':
      return body.value;
  }
}

/** Plain text: blank lines separate paragraphs, single newlines stay line breaks. */
function plainTextToMdast(text: string): Root {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block): Paragraph => {
      const children: PhrasingContent[] = [];
      block.split('\n').forEach((line, index) => {
        if (index > 0) children.push({ type: 'break' });
        children.push({ type: 'text', value: line });
      });
      return { type: 'paragraph', children };
    });
  return { type: 'root', children: paragraphs };
}
