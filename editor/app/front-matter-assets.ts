/**
 * Naming an uploaded asset in a template's front matter (`assets:` maps a name to a file): a pure edit of
 * the source text, so the assets panel can offer it and a test can check it without a browser. The edit
 * is the smallest one that works: a line appended to an existing block `assets:` map, or a new `assets:`
 * block before the closing `---`. A flow map (`assets: { … }`) or a source without front matter is left
 * to the designer (undefined: not offered).
 */
export interface FrontMatterEdit {
  /** 1-based line before which the text goes. */
  line: number;
  text: string;
}

/** The key an uploaded file gets: its file name without extension, in the characters names use. */
export function assetKey(path: string): string {
  const base = path.split('/').pop() ?? path;
  const stem = base
    .replace(/\.[^.]+$/, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
  return stem.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'asset';
}

/** Whether the front matter already names this file (under any key). */
export function namesAsset(source: string, path: string): boolean {
  const fm = frontMatter(source);
  if (!fm) return false;
  return fm.lines.some((l) => new RegExp(`^\\s+[^#:]+:\\s*["']?${escape(path)}["']?\\s*(#.*)?$`).test(l));
}

export function addAssetEdit(source: string, key: string, path: string): FrontMatterEdit | undefined {
  const fm = frontMatter(source);
  if (!fm) return undefined;
  const at = fm.lines.findIndex((l) => /^assets:\s*(#.*)?$/.test(l));
  const entry = `  ${key}: ${path}\n`;
  if (at < 0) {
    if (fm.lines.some((l) => /^assets:/.test(l))) return undefined; // a flow map: the designer's to edit
    return { line: fm.end + 1, text: `assets:\n${entry}` };
  }
  let last = at;
  for (let i = at + 1; i < fm.lines.length && /^(\s+\S|\s*$)/.test(fm.lines[i]!); i++) if (fm.lines[i]!.trim()) last = i;
  // Lines of the file are 1-based and the front matter starts after the opening `---` (line 1).
  return { line: last + 3, text: entry };
}

/** Applies an edit to the text (what Monaco does with it in the browser). */
export function applyEdit(source: string, edit: FrontMatterEdit): string {
  const lines = source.split('\n');
  const before = lines.slice(0, edit.line - 1).join('\n');
  const after = lines.slice(edit.line - 1).join('\n');
  return `${before}${before ? '\n' : ''}${edit.text}${after}`;
}

/** The lines between the opening and closing `---`, and the 0-based index of the closing one among the file's lines minus one. */
function frontMatter(source: string): { lines: string[]; end: number } | undefined {
  const lines = source.split('\n');
  if (lines[0]?.trim() !== '---') return undefined;
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (close < 0) return undefined;
  return { lines: lines.slice(1, close), end: close };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the asset-path completion proposes at a position: uploaded files, and the text they replace. */
export interface AssetPathProposal {
  path: string;
  /** 1-based columns on the position's line of the text typed so far (replaced by the proposal). */
  startColumn: number;
  endColumn: number;
}

/**
 * Uploaded files proposed where the front matter names an asset's file: the value of an entry of the
 * block `assets:` map (`  logo: as|`). Names (keys) are completed elsewhere (editor/monaco/completions.ts);
 * this is the path an upload was stored under, which is easy to mistype.
 */
export function assetPathsAt(source: string, line: number, column: number, uploaded: readonly string[]): AssetPathProposal[] {
  const fm = frontMatter(source);
  // Front matter lines are the file's lines 2 … end (1-based), the `---` lines excluded.
  if (!fm || line < 2 || line > fm.end) return [];
  const index = line - 2;
  const text = fm.lines[index]!.slice(0, column - 1);
  const entry = /^(\s+)[A-Za-z0-9_-]+:\s*(["']?)([^\s"'#]*)$/.exec(text);
  if (!entry) return [];
  let block = index - 1;
  while (block >= 0 && /^(\s+\S|\s*$)/.test(fm.lines[block]!)) block--;
  if (block < 0 || !/^assets:\s*(#.*)?$/.test(fm.lines[block]!)) return [];
  const typed = entry[3]!;
  return uploaded
    .filter((p) => p.toLowerCase().startsWith(typed.toLowerCase()))
    .map((path) => ({ path, startColumn: column - typed.length, endColumn: column }));
}
