// A cheap per-document pre-filter for call-dispatched rules: whether the text spells a word the rule needs at all.

/**
 * A test of `pattern` against a document's text, remembered for the last text seen: every call node of a document
 * asks it, so the regular expression runs once per document (or edit), not once per call.
 */
export function textGate(pattern: RegExp): (text: string) => boolean {
  let lastText: string | undefined;
  let lastAnswer = false;
  return (text: string): boolean => {
    if (text !== lastText) {
      lastText = text;
      lastAnswer = pattern.test(text);
    }
    return lastAnswer;
  };
}
