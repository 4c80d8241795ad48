import { parse, type DefaultTreeAdapterTypes } from 'parse5';

type Document = DefaultTreeAdapterTypes.Document;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;
type Element = DefaultTreeAdapterTypes.Element;

const BOM = '\uFEFF';

/**
 * Inserts `tag` as the first thing of the page's real `<head>`, so the bridge runs before the page's
 * own scripts and its `DOMContentLoaded` replay runs before theirs.
 *
 * The page is parsed as a browser parses it (parse5, with source locations), so a `<head>` inside a
 * comment, a script, a string or an attribute is not mistaken for the real one; upper-case tags,
 * attributes on `<head>`, a doctype and a byte order mark are all kept as they are. A page without a
 * `<head>` tag (the browser makes one) gets the tag after `<html>`, else after the doctype and the
 * comments that precede the document, else first: where the browser's implied `<head>` starts.
 */
export function injectIntoHead(html: string, tag: string): string {
  const bom = html.startsWith(BOM) ? BOM.length : 0; // a decoder strips it before parsing; parse5 would read it as text
  const at = bom + insertionOffset(parse(html.slice(bom), { sourceCodeLocationInfo: true }));
  return html.slice(0, at) + tag + html.slice(at);
}

/** Offset (in the parsed text) just inside the real `<head>`, explicit or implied. */
function insertionOffset(document: Document): number {
  const root = document.childNodes.find(isElementNamed('html'));
  const headTag = root?.childNodes.find(isElementNamed('head'))?.sourceCodeLocation?.startTag;
  if (headTag !== undefined) return headTag.endOffset;
  const htmlTag = root?.sourceCodeLocation?.startTag;
  if (htmlTag !== undefined) return htmlTag.endOffset;
  // No tags at all: after what precedes the document (doctype, comments), which the parser keeps outside it.
  let offset = 0;
  for (const node of document.childNodes) {
    if (node === root) break;
    offset = Math.max(offset, node.sourceCodeLocation?.endOffset ?? 0);
  }
  return offset;
}

function isElementNamed(name: string): (node: ChildNode) => node is Element {
  return (node): node is Element => node.nodeName === name && 'tagName' in node;
}
