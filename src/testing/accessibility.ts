// Accessibility checks for UI tests in Chromium (Playwright): axe-core's rules run in the page, and
// the browser's own accessibility tree (what a screen reader reads) through the DevTools protocol.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { TestHostError } from './errors.js';

/** The part of a Playwright `Page` the checks use. */
export interface AccessiblePage {
  evaluate<R>(script: string): Promise<R>;
  addScriptTag(options: { content: string }): Promise<unknown>;
  /** Playwright's `page.context()`: `newCDPSession` is given this page. */
  context(): { newCDPSession(page: never): Promise<CdpSession> };
}

/** A DevTools protocol session, as Playwright's `CDPSession` is. */
export interface CdpSession {
  send(method: string, params?: object): Promise<any>;
  detach(): Promise<void>;
}

/** One rule axe-core found broken, and where. */
export interface AccessibilityViolation {
  /** The rule (`color-contrast`, `aria-valid-attr-value`, …). */
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  /** A CSS selector of each element that breaks it. */
  targets: string[];
}

/** Options of {@link expectAccessible}. */
export interface AccessibleOptions {
  /** Only inside this selector. @default the whole document */
  include?: string;
  /** Rule ids not to run (say why in your test). */
  disableRules?: string[];
}

let axeSource: Promise<string> | undefined;

/** axe-core's script, from the project's own install (an optional peer of this package). */
function loadAxe(): Promise<string> {
  axeSource ??= (async () => {
    const requireFrom = createRequire(`${process.cwd()}/`);
    const candidates = [() => requireFrom.resolve('axe-core/axe.min.js'), () => createRequire(import.meta.url).resolve('axe-core/axe.min.js')];
    for (const resolve of candidates) {
      try {
        return await readFile(resolve(), 'utf8');
      } catch {
        // the next place
      }
    }
    throw new TestHostError('NO_AXE', 'expectAccessible needs axe-core: npm install --save-dev axe-core');
  })();
  return axeSource.catch((error: unknown) => {
    axeSource = undefined;
    throw error;
  });
}

/**
 * Runs axe-core's rules in `page` and resolves when there are no violations; else rejects with a
 * `TestHostError` `NOT_ACCESSIBLE` whose message lists each rule, its help, and the selectors of
 * the elements breaking it (`violations` holds them too).
 */
export async function expectAccessible(page: AccessiblePage, options: AccessibleOptions = {}): Promise<void> {
  const violations = await accessibilityViolations(page, options);
  if (violations.length === 0) return;
  const lines = violations.map((v) => `- ${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    ${v.targets.join('\n    ')}`);
  throw Object.assign(new TestHostError('NOT_ACCESSIBLE', `axe-core found ${violations.length} violation(s):\n${lines.join('\n')}`), { violations });
}

/** axe-core's violations in `page` (an empty list when there are none). */
export async function accessibilityViolations(page: AccessiblePage, options: AccessibleOptions = {}): Promise<AccessibilityViolation[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.addScriptTag({ content: await loadAxe() });
  const context = JSON.stringify(options.include ?? null);
  const rules = JSON.stringify(Object.fromEntries((options.disableRules ?? []).map((id) => [id, { enabled: false }])));
  return page.evaluate<AccessibilityViolation[]>(`(async () => {
    const results = await window.axe.run(${context} ?? document, { resultTypes: ['violations'], rules: ${rules} });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.join(' ')) }));
  })()`);
}

/** A node of the accessibility tree, as a screen reader is given it. */
export interface AccessibleNode {
  role: string;
  name: string;
  /** The value (a slider's `aria-valuetext`, else its number; a text field's text). */
  value: string | undefined;
  /** The properties Chromium reports (`checked`, `valuemin`, `valuemax`, `focusable`, `orientation`, …), by name. */
  properties: Record<string, unknown>;
}

/**
 * Every node of `page`'s accessibility tree that is not ignored, read through Chromium's DevTools
 * protocol (`Accessibility.getFullAXTree`). Chromium's protocol leaves `aria-valuetext` out of a
 * range's `valuetext` (version 156 reports it empty, or the number for an `<input type="range">`),
 * though the platform's accessibility exposes it: for ranges, an `aria-valuetext` the element has
 * is read from the element and wins.
 */
export async function accessibilityTree(page: AccessiblePage): Promise<AccessibleNode[]> {
  const session = await page.context().newCDPSession(page as never);
  try {
    await session.send('Accessibility.enable'); // so Chromium brings the tree up to date with the DOM
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: RawNode[] };
    const result: AccessibleNode[] = [];
    for (const node of nodes) {
      if (node.ignored === true) continue;
      const properties = Object.fromEntries((node.properties ?? []).map((p) => [p.name, p.value?.value]));
      if ('valuetext' in properties && node.backendDOMNodeId !== undefined) {
        const text = await ariaValueText(session, node.backendDOMNodeId);
        if (text !== '') properties.valuetext = text;
      }
      const text = typeof properties.valuetext === 'string' && properties.valuetext !== '' ? properties.valuetext : undefined;
      result.push({
        role: String(node.role?.value ?? ''),
        name: String(node.name?.value ?? ''),
        value: text ?? (node.value?.value === undefined ? undefined : String(node.value.value)),
        properties,
      });
    }
    return result;
  } finally {
    await session.detach();
  }
}

/** The `aria-valuetext` of the element behind an accessibility node ('' when it has none). */
async function ariaValueText(session: CdpSession, backendNodeId: number): Promise<string> {
  const { object } = (await session.send('DOM.resolveNode', { backendNodeId })) as { object: { objectId?: string } };
  if (object.objectId === undefined) return '';
  const { result } = (await session.send('Runtime.callFunctionOn', {
    objectId: object.objectId,
    functionDeclaration: 'function () { return this.getAttribute ? this.getAttribute("aria-valuetext") ?? "" : ""; }',
    returnByValue: true,
  })) as { result: { value?: unknown } };
  return typeof result.value === 'string' ? result.value : '';
}

interface RawNode {
  ignored?: boolean;
  backendDOMNodeId?: number;
  role?: { value?: unknown };
  name?: { value?: unknown };
  value?: { value?: unknown };
  properties?: { name: string; value?: { value?: unknown } }[];
}

/** What {@link expectAccessibleNode} looks for: a role and name, and optionally its value text and properties. */
export interface AccessibleNodeQuery {
  role: string;
  name: string | RegExp;
  value?: string | RegExp;
  properties?: Record<string, unknown>;
}

/**
 * The node of `page`'s accessibility tree with `role` and `name` (and `value`, `properties` when
 * given): "a slider named Gain with value text -6.0 dB" is
 * `expectAccessibleNode(page, { role: 'slider', name: 'Gain', value: '-6.0 dB' })`. Rejects with a
 * `TestHostError` `NO_SUCH_NODE` listing the nodes of that role when none matches.
 */
export async function expectAccessibleNode(page: AccessiblePage, query: AccessibleNodeQuery): Promise<AccessibleNode> {
  const nodes = await accessibilityTree(page);
  const matches = (pattern: string | RegExp | undefined, text: string | undefined): boolean =>
    pattern === undefined || (typeof pattern === 'string' ? text === pattern : text !== undefined && pattern.test(text));
  const found = nodes.find(
    (node) =>
      node.role === query.role &&
      matches(query.name, node.name) &&
      matches(query.value, node.value) &&
      Object.entries(query.properties ?? {}).every(([key, expected]) => node.properties[key] === expected),
  );
  if (found !== undefined) return found;
  const sameRole = nodes.filter((node) => node.role === query.role).map((node) => `  ${JSON.stringify({ name: node.name, value: node.value, properties: node.properties })}`);
  throw new TestHostError(
    'NO_SUCH_NODE',
    `no ${query.role} named ${String(query.name)}${query.value === undefined ? '' : ` with value ${String(query.value)}`} in the accessibility tree; its ${query.role} nodes:\n${sameRole.join('\n') || '  (none)'}`,
  );
}
