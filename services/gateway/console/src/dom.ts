type Child = Node | string | number | null | undefined | false;

/** Builds an element; text always goes in as text, so questions and comments can never inject markup. */
export function h(tag: string, attributes: Record<string, string> = {}, ...children: (Child | Child[])[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function percent(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)} %`;
}

export function millis(value: number | null): string {
  return value === null ? '–' : `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`;
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
