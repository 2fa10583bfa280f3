import { CST, Document, isScalar, type ScalarTag } from 'yaml';
import { YAML_OPTIONS } from './yaml-options.js';

/**
 * Resolves scalar tokens to plain values as yaml's `Composer` does with
 * {@link YAML_OPTIONS} (no tags in play): quoting, escapes and line folding
 * by yaml's own `CST.resolveAsScalar`, then the core schema's types for plain
 * scalars (`null`, booleans, numbers). Used by the fast path of the
 * loader, which reads values without composing a `Document`.
 */
export class ScalarResolver {
  /** yaml's options of a document composed with {@link YAML_OPTIONS}. */
  readonly options: Document['options'];
  /** The scalar tags tried on a plain value, in the order the `Composer` tries them. */
  private readonly valueTags: ScalarTag[];
  /** The same for a plain key (tags whose `default` is `'key'` apply to keys only). */
  private readonly keyTags: ScalarTag[];

  /** @param fail Called for any scalar yaml would report an error or warning for; must throw. */
  constructor(private readonly fail: () => never) {
    const { options, schema } = new Document(undefined, YAML_OPTIONS);
    this.options = options;
    const scalarTags = schema.tags.filter((tag): tag is ScalarTag => !tag.collection && !!tag.test);
    this.valueTags = scalarTags.filter((tag) => tag.default === true);
    this.keyTags = scalarTags.filter((tag) => tag.default === true || tag.default === 'key');
  }

  /**
   * A scalar token's value, and where it ends with the comments and line
   * breaks after it (`range[2]` of yaml).
   */
  resolve(token: CST.Token, atKey: boolean): { value: unknown; end: number } {
    const resolved = CST.resolveAsScalar(token, this.options.strict, this.fail);
    if (resolved === null) return this.fail();
    const end = resolved.range[2];
    if (token.type !== 'scalar') return { value: resolved.value, end };
    return { value: this.plain(resolved.value, atKey), end };
  }

  /** A plain scalar's text as the core schema types it: `~` is null, `0x1F` is 31, `true` is true. */
  plain(text: string, atKey: boolean): unknown {
    const tags = atKey ? this.keyTags : this.valueTags;
    const tag = tags.find((candidate) => candidate.test!.test(text));
    if (tag === undefined) return text;
    const result = tag.resolve(text, this.fail, this.options);
    return isScalar(result) ? result.value : result;
  }
}

/**
 * A key's name as the loader's plain values have it (`null` and `~` are the
 * empty name, other values their string), or undefined for a key the fast
 * path leaves to the full one: a merge key (`<<`), `__proto__`, or a key the
 * object already has.
 */
export function keyName(
  value: unknown,
  isPlain: boolean,
  object: Record<string, unknown>,
): string | undefined {
  const name = value === null ? '' : String(value);
  if ((isPlain && name === '<<') || name === '__proto__' || Object.hasOwn(object, name)) {
    return undefined;
  }
  return name;
}
