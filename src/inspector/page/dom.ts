/** A child of {@link h}: text (always set as text, never parsed as HTML), an element, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/**
 * Makes an element. Every string becomes a text node: whatever a page or the host sent is shown,
 * never run (an id like `<img onerror=…>` is just text here).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
}

export function formatTime(time: number): string {
  const date = new Date(time);
  return `${date.toLocaleTimeString(undefined, { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** A table cell: text, or a node built only when its `signature` changed (previews). */
export type Cell = { readonly text: string; readonly class?: string; readonly title?: string } | { readonly node: () => Node; readonly signature: string; readonly class?: string };

interface Row {
  readonly element: HTMLTableRowElement;
  readonly cells: HTMLTableCellElement[];
  readonly signatures: string[];
}

/**
 * A table body updated in place, row by row and cell by cell: what did not change is not touched,
 * so a tree the user opened or a button under the mouse survives the next snapshot.
 */
export class KeyedRows<T> {
  readonly #body: HTMLElement;
  readonly #rows = new Map<string, Row>();
  readonly #key: (item: T) => string;
  readonly #attributes: (item: T) => Record<string, string>;
  readonly #cells: (item: T) => Cell[];

  constructor(body: HTMLElement, key: (item: T) => string, attributes: (item: T) => Record<string, string>, cells: (item: T) => Cell[]) {
    this.#body = body;
    this.#key = key;
    this.#attributes = attributes;
    this.#cells = cells;
  }

  update(items: readonly T[]): void {
    const seen = new Set<string>();
    let previous: Element | null = null;
    for (const item of items) {
      const key = this.#key(item);
      seen.add(key);
      let row = this.#rows.get(key);
      if (row === undefined) {
        row = { element: h('tr', this.#attributes(item)), cells: [], signatures: [] };
        this.#rows.set(key, row);
      }
      this.#fill(row, this.#cells(item));
      const expected: Element | null = previous === null ? this.#body.firstElementChild : previous.nextElementSibling;
      if (expected !== row.element) this.#body.insertBefore(row.element, expected);
      previous = row.element;
    }
    for (const [key, row] of this.#rows) {
      if (seen.has(key)) continue;
      row.element.remove();
      this.#rows.delete(key);
    }
  }

  #fill(row: Row, cells: Cell[]): void {
    cells.forEach((cell, i) => {
      let element = row.cells[i];
      if (element === undefined) {
        element = h('td');
        row.cells.push(element);
        row.element.appendChild(element);
      }
      const className = cell.class ?? '';
      if (element.className !== className) element.className = className;
      const signature = 'text' in cell ? `t:${cell.text}` : `n:${cell.signature}`;
      if (row.signatures[i] === signature) return;
      row.signatures[i] = signature;
      if ('text' in cell) {
        element.textContent = cell.text;
        if (cell.title !== undefined) element.title = cell.title;
      } else {
        element.replaceChildren(cell.node());
      }
    });
  }
}
