#!/usr/bin/env python3
"""An independent reader of the real corpus: Python's standard library (mailbox, email,
xml.etree) says what each file holds, so the conformance test never checks Almanac against itself.

Usage: realCorpusReader.py FORMAT FILE  →  JSON on stdout:
  {"count": N, "entries": [{"id", "kind", "title", "author", "date", "updated", "html"}], "notes": [...]}
FORMAT is mbox, pipermail, atom, rss, blogger or wordpress. Dates are ISO 8601 with offset (or null);
"html" is the entry's body as HTML (mail text is escaped into it). Where Python's own reader is stricter than real
files allow (a non-ASCII From_ line, whitespace before <?xml, an undeclared prefix), it reads on and says so in "notes".
"""
import gzip
import html
import json
import mailbox
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime

ATOM = '{http://www.w3.org/2005/Atom}'
NOTES = []


def iso(value):
    return value.isoformat() if value else None


def read_bytes(path):
    with open(path, 'rb') as handle:
        data = handle.read()
    return gzip.decompress(data) if data[:2] == b'\x1f\x8b' else data


# ---------------------------------------------------------------- mail

def decode_words(text):
    """RFC 2047 encoded-words decoded, bytes a charset cannot read replaced (U+FFFD)."""
    try:
        parts = decode_header(text)
    except Exception:  # an encoded-word that does not parse: keep it as written
        return text
    out = []
    for value, charset in parts:
        if isinstance(value, str):
            out.append(value)
            continue
        try:
            out.append(value.decode(charset or 'latin-1', errors='replace'))
        except LookupError:
            out.append(value.decode('latin-1'))
    return ''.join(out) if any(charset for _, charset in parts) else text


def decoded_header(message, name):
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return None
    raw = re.sub(r'\r?\n(?=[ \t])', '', str(raw))  # unfolded
    if re.search('[\udc80-\udcff]', raw):  # raw 8-bit bytes in a header: UTF-8 if they are, else Latin-1
        data = raw.encode('utf-8', 'surrogateescape')
        try:
            raw = data.decode('utf-8')
        except UnicodeDecodeError:
            raw = data.decode('latin-1')
    return decode_words(raw)


FROM_LINE_DATE = re.compile(r'([A-Z][a-z]{2}) +([A-Z][a-z]{2}) +(\d{1,2}) +(\d{1,2}):(\d\d)(?::(\d\d))?(?: +[A-Z]{3,6})? +(\d{4})')
MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']


def from_line_date(from_line):
    match = FROM_LINE_DATE.search(from_line or '')
    if not match or match.group(2) not in MONTHS:
        return None
    _, month, day, hour, minute, second, year = match.groups()
    return datetime(int(year), MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second or 0))


def mail_author(message):
    raw = decoded_header(message, 'From')
    if not raw:
        return None, None
    # Pipermail writes `user at host (Real Name)`: the comment is the name.
    pipermail = re.match(r'^\s*(\S+ at \S+)\s*\((.*)\)\s*$', raw, re.S)
    if pipermail:
        return decode_words(pipermail.group(2).strip()) or None, pipermail.group(1)
    pairs = getaddresses([raw])
    name, address = pairs[0] if pairs else ('', raw)
    return (name.strip() or None), (address or None)


def part_text(part):
    payload = part.get_payload(decode=True)
    if payload is None:
        return ''
    charset = part.get_content_charset()
    if charset is None:
        # No charset said (every Pipermail .txt): UTF-8 where the bytes are UTF-8, else Latin-1.
        try:
            return payload.decode('utf-8')
        except UnicodeDecodeError:
            return payload.decode('latin-1')
    try:
        return payload.decode(charset, errors='replace')
    except LookupError:
        return payload.decode('latin-1')


QUOTE_MARKS = re.compile(r'^[ \t]*(?:>[ \t]?)+', re.M)
SIGNATURE_LINE = re.compile(r'^-- ?$', re.M)
BRACKETED_URL = re.compile(r'<((?:https?|ftp|mailto):[^<>\s]+)>')


def reader_text(text):
    """The words a reader of the message sees: quote marks and the `-- ` signature line are layout
    (Almanac makes them blockquotes and a separated signature), and so are the <…> around a URL (RFC 3986 C)."""
    return BRACKETED_URL.sub(r'\1', SIGNATURE_LINE.sub('', QUOTE_MARKS.sub('', text)))


def mail_body_html(message):
    """The inline text a reader sees: text/plain parts (else text/html), attachments left out."""
    plain, markup = [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        if (part.get('Content-Disposition') or '').strip().lower().startswith('attachment'):
            continue
        kind = part.get_content_type()
        if kind == 'text/plain':
            plain.append(part_text(part))
        elif kind == 'text/html':
            markup.append(part_text(part))
    if plain:
        return '\n'.join('<pre>' + html.escape(reader_text(text)) + '</pre>' for text in plain)
    return '\n'.join(markup)


class LenientMbox(mailbox.mbox):
    """mailbox.mbox, except that a From_ line with non-ASCII bytes is read as Latin-1 instead of raising."""

    def get_message(self, key):
        start, stop = self._lookup(key)
        self._file.seek(start)
        from_line = self._file.readline().replace(mailbox.linesep, b'').decode('latin-1')
        body = self._file.read(stop - self._file.tell())
        message = mailbox.mboxMessage(body.replace(mailbox.linesep, b'\n'))
        message.set_from(from_line[5:])
        return message


def read_mail(path):
    data = read_bytes(path)
    with tempfile.NamedTemporaryFile(suffix='.mbox', delete=False) as copy:
        copy.write(data)
    try:
        box = LenientMbox(copy.name, create=False)
        entries = []
        for message in box:
            name, address = mail_author(message)
            date = None
            if message.get('Date'):
                try:
                    date = parsedate_to_datetime(str(message.get('Date')))
                except Exception:
                    date = None
            envelope = message.get_from()
            message_id = (decoded_header(message, 'Message-ID') or '').strip()
            parent = re.search(r'<([^<>\s]+)>', decoded_header(message, 'In-Reply-To') or '')
            entries.append({
                'id': message_id[1:-1] if message_id.startswith('<') and message_id.endswith('>') else (message_id or None),
                'kind': 'message',
                'inReplyTo': parent.group(1) if parent else None,
                'title': decoded_header(message, 'Subject'),
                'author': name,
                'address': address,
                'date': iso(date),
                'dateNaive': bool(date) and date.tzinfo is None,
                'envelopeDate': iso(from_line_date(envelope)),
                'envelope': envelope,
                'html': mail_body_html(message),
            })
        box.close()
        return entries
    finally:
        os.unlink(copy.name)


# ---------------------------------------------------------------- XML

def parse_xml(path):
    data = read_bytes(path)
    if re.match(rb'\s+<\?xml', data):
        NOTES.append('whitespace before the XML declaration (not well-formed), skipped by the reader')
        data = data.lstrip()
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        if 'unbound prefix' not in str(error):
            raise
    # An export that uses a prefix it never declares (Blogger's app:, WXR's wp:): declare it, and say so.
    text = data.decode('utf-8', errors='replace')
    used = set(re.findall(r'</?([A-Za-z_][\w.-]*):[A-Za-z_]', text)) | set(re.findall(r'\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*=', text))
    declared = set(re.findall(r'xmlns:([A-Za-z_][\w.-]*)=', text)) | {'xml', 'xmlns'}
    missing = sorted(used - declared)
    NOTES.append('undeclared namespace prefixes, declared by the reader: ' + ', '.join(missing))
    declarations = ''.join(f' xmlns:{prefix}="urn:undeclared:{prefix}"' for prefix in missing)
    text = re.sub(r'(<(?!\?|!)[A-Za-z_][\w.:-]*)', lambda m: m.group(1) + declarations, text, count=1)
    return ET.fromstring(text.encode('utf-8'))


def local(tag):
    return tag.rsplit('}', 1)[-1] if isinstance(tag, str) else ''


def children(element, name):
    return [child for child in element if local(child.tag) == name]


def child(element, name, namespace=None):
    for candidate in element:
        if local(candidate.tag) == name and (namespace is None or candidate.tag.startswith('{' + namespace + '}')):
            return candidate
    return None


def inner_xml(element):
    text = html.escape(element.text or '', quote=False)
    for node in element:
        text += re.sub(r'\s?xmlns(:\w+)?="[^"]*"', '', ET.tostring(node, encoding='unicode', method='html'))
        text = re.sub(r'<(/?)\w+:', r'<\1', text)
    return text


def atom_text(element):
    """An Atom text construct as HTML (text is escaped, xhtml serialised)."""
    if element is None:
        return None
    kind = element.get('type', 'text')
    if kind == 'xhtml':
        return inner_xml(element)
    if kind in ('html', 'text/html'):
        return element.text or ''
    return html.escape(element.text or '', quote=False)


def plain(html_text):
    if html_text is None:
        return None
    return html.unescape(re.sub(r'<[^>]+>', '', html_text)).strip()


def parse_date(text):
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace('Z', '+00:00'))
        return value
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except Exception:
        NOTES.append(f'a date Python does not read: {text!r}')
        return None


def atom_author(element):
    author = child(element, 'author', ATOM[1:-1])
    name = child(author, 'name') if author is not None else None
    return (name.text or '').strip() or None if name is not None else None


def read_atom(path, blogger=False):
    root = parse_xml(path)
    feed_author = atom_author(root)
    entries = []
    for entry in root.iter(ATOM + 'entry'):
        kind = 'post'
        if blogger:
            terms = [c.get('term', '') for c in children(entry, 'category') if c.get('scheme') == 'http://schemas.google.com/g/2005#kind']
            kind = terms[0].rsplit('#', 1)[-1] if terms else 'unknown'
            takeout = child(entry, 'type', 'http://schemas.google.com/blogger/2018')
            if takeout is not None:
                kind = (takeout.text or '').strip().lower()
        published = parse_date(getattr(child(entry, 'published', ATOM[1:-1]), 'text', None))
        updated = parse_date(getattr(child(entry, 'updated', ATOM[1:-1]), 'text', None))
        content = child(entry, 'content', ATOM[1:-1])
        summary = child(entry, 'summary', ATOM[1:-1])
        draft = entry.find('.//{http://purl.org/atom/app#}draft')
        if draft is None:
            draft = entry.find('.//{http://www.w3.org/2007/app}draft')
        if draft is None:
            draft = entry.find('.//{urn:undeclared:app}draft')
        entries.append({
            'id': (getattr(child(entry, 'id', ATOM[1:-1]), 'text', None) or '').strip() or None,
            'kind': kind,
            'draft': draft is not None and (draft.text or '').strip() == 'yes',
            'title': plain(atom_text(child(entry, 'title', ATOM[1:-1]))),
            'author': atom_author(entry) or feed_author,
            'date': iso(published or updated),
            'updated': iso(updated),
            'html': atom_text(content if content is not None and content.get('src') is None else summary) or '',
        })
    return entries


DC = 'http://purl.org/dc/elements/1.1/'
CONTENT = 'http://purl.org/rss/1.0/modules/content/'
RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'


def read_rss(path, wordpress=False):
    root = parse_xml(path)
    items = [element for element in root.iter() if local(element.tag) == 'item']
    entries = []
    for item in items:
        guid = child(item, 'guid')
        link = child(item, 'link')
        identifier = (guid.text if guid is not None else None) or item.get('{%s}about' % RDF) or (link.text if link is not None else None)
        creator = child(item, 'creator', DC)
        author = child(item, 'author')
        name = (creator.text or '').strip() if creator is not None else None
        if not name and author is not None and author.text:
            match = re.match(r'^\s*\S+@\S+\s*\((.*)\)\s*$', author.text)
            name = match.group(1).strip() if match else author.text.strip()
        date_element = child(item, 'pubDate')
        if date_element is None or not (date_element.text or '').strip():
            date_element = child(item, 'date', DC)
        encoded = child(item, 'encoded', CONTENT)
        description = child(item, 'description')
        body = encoded.text if encoded is not None and (encoded.text or '').strip() else (description.text if description is not None else '')
        title = child(item, 'title')
        entry = {
            'id': (identifier or '').strip() or None,
            'kind': 'post',
            'title': plain(title.text) if title is not None and title.text else None,
            'author': name or None,
            'date': iso(parse_date(date_element.text if date_element is not None else None)),
            'html': body or '',
        }
        if wordpress:
            post_type = next((c.text for c in item if local(c.tag) == 'post_type'), None)
            status = next((c.text for c in item if local(c.tag) == 'status'), None)
            entry['kind'] = post_type or 'post'
            entry['draft'] = status not in (None, 'publish', 'inherit')
        entries.append(entry)
    return entries


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    if fmt in ('mbox', 'pipermail'):
        entries = read_mail(path)
    elif fmt in ('atom', 'roller'):
        entries = read_atom(path)
    elif fmt == 'blogger':
        entries = read_atom(path, blogger=True)
    elif fmt == 'rss':
        entries = read_rss(path)
    elif fmt == 'wordpress':
        entries = read_rss(path, wordpress=True)
    else:
        raise SystemExit(f'unknown format {fmt}')
    json.dump({'count': len(entries), 'entries': entries, 'notes': NOTES}, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main()
