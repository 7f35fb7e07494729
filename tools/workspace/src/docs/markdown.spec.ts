import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The documentation is read in a terminal: tables fit in 120 columns, and every link between pages leads somewhere.
const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
const SKIPPED = new Set(['node_modules', 'dist', 'tmp', '.nx', '.git', 'results', 'peers']);
const MAX_TABLE_WIDTH = 120;
/** Pages of history keep their tables as they were measured. */
const HISTORY = /(^|\/)HISTORY\.md$/;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIPPED.has(name)) return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The lines of a page outside its code blocks. */
function proseLines(text: string): string[] {
  let inCode = false;
  return text.split('\n').filter((line) => {
    if (line.startsWith('```')) inCode = !inCode;
    return !inCode && !line.startsWith('```');
  });
}

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

function anchorsOf(path: string): Set<string> {
  const headings = proseLines(readFileSync(path, 'utf8')).flatMap((line) => /^#+ (.*)$/.exec(line)?.[1] ?? []);
  return new Set(headings.map(anchorOf));
}

function brokenLinks(path: string): string[] {
  const links = proseLines(readFileSync(path, 'utf8')).flatMap((line) =>
    [...line.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? ''),
  );
  return links.flatMap((link) => {
    if (/^[a-z]+:/.test(link)) return [];
    const [file = '', anchor] = link.split('#');
    const target = file ? resolve(dirname(path), file) : path;
    if (!existsSync(target)) return [`${link}: no such file`];
    if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) return [`${link}: no such heading`];
    return [];
  });
}

const pages = markdownFiles(WORKSPACE_ROOT).map((path) => relative(WORKSPACE_ROOT, path));

describe('the documentation', () => {
  it('is found', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'libs/telemetry/README.md', 'docs/configuration.md']));
  });

  it.each(pages.filter((page) => !HISTORY.test(page)))('%s: tables within 120 columns', (page) => {
    const wide = proseLines(readFileSync(join(WORKSPACE_ROOT, page), 'utf8')).filter(
      (line) => line.startsWith('|') && line.length > MAX_TABLE_WIDTH,
    );
    expect(wide).toEqual([]);
  });

  it.each(pages)('%s: every relative link leads to a file and heading that exist', (page) => {
    expect(brokenLinks(join(WORKSPACE_ROOT, page))).toEqual([]);
  });
});
