import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { refractor } from 'refractor/core';
import bash from 'refractor/bash';
import c from 'refractor/c';
import cpp from 'refractor/cpp';
import diff from 'refractor/diff';
import ini from 'refractor/ini';
import javascript from 'refractor/javascript';
import json from 'refractor/json';
import makefile from 'refractor/makefile';
import python from 'refractor/python';
import shellSession from 'refractor/shell-session';
import yaml from 'refractor/yaml';
import { visit } from 'unist-util-visit';

/**
 * Syntax highlighting with Prism grammars (refractor) inside the rehype chain: the Eleventy
 * Prism plugin only hooks markdown-it, so under our own engine highlighting has to live here.
 * Only the languages this knowledge base is written in are registered (a small, fast core).
 */
for (const grammar of [bash, c, cpp, diff, ini, javascript, json, makefile, python, shellSession, yaml])
  refractor.register(grammar);
// DTrace's D is C-like in everything a reader sees (probes aside): the C grammar reads well.
refractor.alias({
  c: ['dtrace', 'd', 'h'],
  'shell-session': ['console', 'shellsession', 'session', 'terminal'],
  bash: ['zsh', 'ksh'],
  diff: ['patch'],
});

/** Code blocks imported without a language, recognised by their first line. */
const GUESSES: [RegExp, string][] = [
  [/^(diff --git |diff -[a-z]|--- a\/|Index: |From [0-9a-f]{40} )/, 'diff'],
  [/^[$%#] \S/, 'shell-session'],
  [/^[\w.-]+@[\w.-]+(:[^\s#$%]*)?[#$%] \S/, 'shell-session'],
  [/^#!\/[\w/]*(ba|k|z)?sh\b/, 'bash'],
  [/^#!\/[\w/]*python/, 'python'],
  [/^#!\/usr\/sbin\/dtrace/, 'dtrace'],
  [/^#include [<"]/, 'c'],
];

export function languageOf(code: Element, text: string): string | undefined {
  const className = code.properties.className;
  const declared = Array.isArray(className)
    ? className
        .map(String)
        .find((name) => name.startsWith('language-'))
        ?.slice('language-'.length)
        .toLowerCase()
    : undefined;
  if (declared) return refractor.registered(declared) ? declared : undefined;
  const firstLine = text.trimStart().split('\n', 1)[0];
  return GUESSES.find(([pattern]) => pattern.test(firstLine))?.[1];
}

export default function rehypeHighlightCode() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, _index, parent) => {
      if (node.tagName !== 'code' || !parent || parent.type !== 'element' || parent.tagName !== 'pre') return;
      const text = toString(node);
      const language = languageOf(node, text);
      if (!language) return;
      node.children = refractor.highlight(text, language).children as ElementContent[];
      node.properties.className = [`language-${language}`];
      parent.properties.className = [`language-${language}`];
      return 'skip';
    });
  };
}
