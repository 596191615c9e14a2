// TypeDoc plugin: hides the preamble of the code blocks in TSDoc comments. The lines of a block
// before a `// ---cut---` line declare what a fragment assumes (`declare const error: unknown;`);
// scripts/check-examples.ts compiles them with the example, the rendered docs show only the lines
// after the cut. See docs/decisions/0006-compiled-examples.md.
import { Converter } from 'typedoc';

const CUT = /^[ \t]*\/\/ ---cut---[ \t]*\r?\n/m;

/**
 * The code part's text without its preamble: the opening fence, then what follows the cut line.
 *
 * @param {string} text a code part, "```ts\n...\n```"
 * @returns {string}
 */
export function hidePreamble(text) {
  const cut = CUT.exec(text);
  if (!cut) return text;
  const fenceEnd = text.indexOf('\n') + 1;
  return text.slice(0, fenceEnd) + text.slice(cut.index + cut[0].length);
}

/** @param {import('typedoc').CommentDisplayPart[] | undefined} parts */
function hideIn(parts) {
  for (const part of parts ?? []) {
    if (part.kind === 'code') part.text = hidePreamble(part.text);
  }
}

/** @param {import('typedoc').Comment | undefined} comment */
function hideInComment(comment) {
  if (!comment) return;
  hideIn(comment.summary);
  for (const tag of comment.blockTags) hideIn(tag.content);
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    hideInComment(context.project.comment);
    for (const reflection of Object.values(context.project.reflections)) {
      hideInComment(reflection.comment);
    }
  });
}
