/**
 * The deepest nesting of lists and mappings a YAML file may have (aliases
 * included). A workflow needs 5 levels; the limit keeps hostile input such as
 * 100,000 `[` from exhausting the stack.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * How many nodes aliases may add to a document in all. Reusing a prompt
 * through an anchor costs one node per use; a "billion laughs" file that
 * doubles its size with each alias level is refused.
 */
export const MAX_ALIAS_EXPANSION = 10_000;
