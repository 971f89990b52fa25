import { describe, expect, it } from 'vitest';
import { addAssetEdit, applyEdit, assetKey, assetPathsAt, namesAsset } from '../../editor/app/front-matter-assets';

const WITH = `---
name: Diploma
assets:
  frame: assets/guilloche-frame.pdf
  seal: assets/seal.png
metadata:
  title: x
---
<page/>`;

const WITHOUT = `---
name: Plain
locale: fr
---
<page/>`;

describe('naming an uploaded asset in the front matter', () => {
  it('appends to the assets map, after its last entry', () => {
    const edit = addAssetEdit(WITH, 'logo', 'assets/logo.png')!;
    expect(applyEdit(WITH, edit)).toBe(WITH.replace('  seal: assets/seal.png\n', '  seal: assets/seal.png\n  logo: assets/logo.png\n'));
  });

  it('adds an assets map before the closing line when there is none', () => {
    const edit = addAssetEdit(WITHOUT, 'logo', 'assets/logo.png')!;
    expect(applyEdit(WITHOUT, edit)).toBe(WITHOUT.replace('locale: fr\n', 'locale: fr\nassets:\n  logo: assets/logo.png\n'));
  });

  it('offers nothing for a flow map or a source without front matter', () => {
    expect(addAssetEdit('---\nassets: { a: b.png }\n---\n<page/>', 'logo', 'assets/logo.png')).toBeUndefined();
    expect(addAssetEdit('<page/>', 'logo', 'assets/logo.png')).toBeUndefined();
  });

  it('knows when a file is named already, and makes keys from file names', () => {
    expect(namesAsset(WITH, 'assets/seal.png')).toBe(true);
    expect(namesAsset(WITH, 'assets/logo.png')).toBe(false);
    expect(assetKey('assets/Logo Société.png')).toBe('Logo-Societe');
    expect(assetKey('assets/seal.png')).toBe('seal');
  });
});

describe('completing asset paths in the front matter', () => {
  const uploaded = ['assets/guilloche-frame.pdf', 'assets/seal.png', 'assets/stamp.png'];
  const source = `---\nname: x\nassets:\n  frame: assets/guilloche-frame.pdf\n  stamp: assets/s\nlocale: fr\n---\n<page/>`;

  it('proposes the uploaded files matching what is typed, replacing it', () => {
    const line = 5;
    const column = '  stamp: assets/s'.length + 1;
    expect(assetPathsAt(source, line, column, uploaded)).toEqual([
      { path: 'assets/seal.png', startColumn: 10, endColumn: column },
      { path: 'assets/stamp.png', startColumn: 10, endColumn: column },
    ]);
    expect(assetPathsAt(source, line, '  stamp: '.length + 1, uploaded).map((p) => p.path)).toEqual(uploaded);
  });

  it('proposes nothing outside the assets map', () => {
    expect(assetPathsAt(source, 2, 'name: x'.length + 1, uploaded)).toEqual([]);
    expect(assetPathsAt(source, 6, 'locale: fr'.length + 1, uploaded)).toEqual([]);
    expect(assetPathsAt(source, 8, 3, uploaded)).toEqual([]);
  });
});
