/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A code block that survives any content: escaped, backtick fences neutralised, cut to fit a section. */
export function codeBlock(text: string, max = 2900): string {
  return '```' + truncate(escapeMrkdwn(text).replace(/```/g, "'''"), max) + '```';
}
