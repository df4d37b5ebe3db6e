/**
 * @module style
 * ANSI colour for the terminal report — only when asked (a TTY, and NO_COLOR
 * unset: https://no-color.org).
 */
export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (on: boolean, open: number, close: number) => (s: string) =>
  on ? `\x1b[${open}m${s}\x1b[${close}m` : s;

export function style(color: boolean): Style {
  return {
    red: wrap(color, 31, 39),
    green: wrap(color, 32, 39),
    yellow: wrap(color, 33, 39),
    dim: wrap(color, 2, 22),
    bold: wrap(color, 1, 22),
  };
}

/** Whether a stream should get colour: a TTY and NO_COLOR absent or empty. */
export function wantsColor(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}
