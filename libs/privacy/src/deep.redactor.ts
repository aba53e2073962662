import { personalDataRedactor } from './personal-data.redactor';
import type { PiiPolicy } from './personal-data.types';

/** What a reference back to an object still being copied becomes. */
export const CIRCULAR = '[Circular]';

type Container = Record<string, unknown> | unknown[];

interface Frame {
  source: object;
  target: Container;
  entries: [string, unknown][];
  next: number;
  /** Keys set as non-enumerable, as on the source (an Error's `cause`, `errors`). */
  hidden: ReadonlySet<string>;
}

/**
 * A redacted copy of a JSON-like value (trace attributes, ledger rows, log fields): every string,
 * object key and error message goes through {@link redactPersonalData}; the input is never
 * changed. Arrays and plain objects are copied; an Error stays an Error of the same class;
 * a Date is cloned; another object is copied as JSON would see it (its `toJSON()`, or its own
 * enumerable properties). An integer of 11 or more digits that is personal data as a whole (a
 * mobile kept as a number) becomes its redacted string. A reference back to an object being
 * copied becomes `'[Circular]'`; shared references stay shared. The walk uses its own stack, so
 * depth is limited by memory only.
 */
export function redactDeep(value: unknown, policy: PiiPolicy, secret?: string): unknown {
  const redactText = personalDataRedactor(policy, secret);
  const copies = new Map<object, unknown>();
  const inProgress = new Set<object>();
  const stack: Frame[] = [];

  const visit = (input: unknown): unknown => {
    if (typeof input !== 'object' || input === null) return redactPrimitive(input, redactText);
    if (input instanceof Date) return new Date(input.getTime());
    if (inProgress.has(input)) return CIRCULAR;
    if (copies.has(input)) return copies.get(input);
    const view = walkableView(input);
    if (typeof view !== 'object' || view === null || view instanceof Date) return visit(view);
    const frame = openFrame(input, view, redactText);
    copies.set(input, frame.target);
    inProgress.add(input);
    stack.push(frame);
    return frame.target;
  };

  const root = visit(value);
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const entry = frame.entries[frame.next++];
    if (entry === undefined) {
      inProgress.delete(frame.source);
      stack.pop();
      continue;
    }
    const [key, child] = entry;
    const copied = visit(child);
    if (Array.isArray(frame.target)) frame.target[Number(key)] = copied;
    else if (frame.hidden.has(key)) Object.defineProperty(frame.target, key, { value: copied, writable: true, configurable: true, enumerable: false });
    else frame.target[redactText(key)] = copied;
  }
  return root;
}

function redactPrimitive(value: unknown, redactText: (text: string) => string): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'number' && typeof value !== 'bigint') return value;
  // Only a digit string can be a number's finding, and then it is the whole number.
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return value;
  const digits = value.toString();
  if (!/^\d{11,}$/u.test(digits)) return value;
  const redacted = redactText(digits);
  return redacted === digits ? value : redacted;
}

/** The object to copy fields from: itself when JSON-like, else what `JSON.stringify` would see. */
function walkableView(value: object): unknown {
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON !== 'function') return Array.isArray(value) || value instanceof Error || isPlainObject(value) ? value : { ...value };
  const json: unknown = (toJSON as () => unknown).call(value);
  // One step only: a toJSON() returning another class instance is copied by its own fields.
  if (typeof json !== 'object' || json === null || json instanceof Date || Array.isArray(json) || isPlainObject(json)) return json;
  return { ...json };
}

/** A frame copying `view`'s fields, tracked under `source` (the object the caller passed). */
function openFrame(source: object, view: object, redactText: (text: string) => string): Frame {
  if (Array.isArray(view)) {
    return { source, target: new Array<unknown>(view.length), entries: view.map((item, index) => [String(index), item]), next: 0, hidden: new Set() };
  }
  if (view instanceof Error) return openErrorFrame(view, redactText);
  const target: Record<string, unknown> = Object.getPrototypeOf(view) === null ? (Object.create(null) as Record<string, unknown>) : {};
  return { source, target, entries: Object.entries(view), next: 0, hidden: new Set() };
}

/** A new error of the same class with redacted name, message and stack, and its own fields and cause. */
function openErrorFrame(source: Error, redactText: (text: string) => string): Frame {
  const target = Object.create(Object.getPrototypeOf(source) as object) as Record<string, unknown>;
  // V8 keeps `stack` as an own accessor: copy what it reads as a plain non-enumerable string.
  for (const key of ['name', 'message', 'stack'] as const) {
    const value: unknown = Object.hasOwn(source, key) ? source[key] : undefined;
    if (typeof value === 'string') Object.defineProperty(target, key, { value: redactText(value), writable: true, configurable: true, enumerable: false });
  }
  const entries = Object.entries(source).filter(([key]) => key !== 'name' && key !== 'message' && key !== 'stack');
  const hidden = new Set<string>();
  for (const key of ['cause', 'errors']) {
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (descriptor && !descriptor.enumerable && 'value' in descriptor) {
      entries.push([key, descriptor.value]);
      hidden.add(key);
    }
  }
  return { source, target, entries, next: 0, hidden };
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}
