import { num, textString } from './syntax';

/**
 * Tagged PDF (ISO 32000-1 §14.7–14.8, the part PDF/UA builds on): a logical structure tree in reading order
 * whose leaves are marked-content sequences (BDC … EMC with an MCID) in the pages' content streams, and
 * everything drawn outside a structure element marked as an /Artifact (borders, rules, backgrounds,
 * watermarks, the repeated header rows of a table) so assistive technology skips it.
 *
 * Marking is lazy: opening or closing an element closes the sequence open on the page being drawn and
 * leaves the next one's opening operator pending on the content stream, written with the first operator
 * drawn after it. Nothing is written for an element that drew nothing, no text is ever copied, and drawing
 * code never deals with BDC/EMC pairs or MCIDs itself.
 */

/** The standard structure types Attest writes (no role map is needed for them). */
export type StructType =
  | 'Document'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'H4'
  | 'H5'
  | 'H6'
  | 'P'
  | 'Span'
  | 'Table'
  | 'THead'
  | 'TBody'
  | 'TR'
  | 'TH'
  | 'TD'
  | 'Figure'
  | 'Link';

export interface StructAttributes {
  /** Alternative description (a figure's text, a link area's destination). */
  alt?: string;
  /** BCP 47 language when it differs from the document's. */
  lang?: string;
  /** A header cell's scope. */
  scope?: 'Column' | 'Row';
  /** A figure's box on its page, PDF coordinates: x1 y1 x2 y2. */
  bbox?: readonly [number, number, number, number];
  /** Right-to-left text (Layout attribute /WritingMode /RlTb). */
  rightToLeft?: boolean;
  /** The element's text in reading order, when its glyphs are drawn in another (right-to-left runs). */
  actualText?: string;
}

/** Grouping elements own no content: what is drawn while one of them is innermost is an artifact (a row's fill). */
const GROUPING = new Set<StructType>(['Document', 'Table', 'THead', 'TBody', 'TR']);

type Kid =
  | StructElement
  | { readonly kind: 'mcr'; readonly page: TaggedPage; readonly mcid: number }
  | { readonly kind: 'objr'; readonly page: TaggedPage; readonly annotation: number };

export class StructElement {
  readonly kids: Kid[] = [];
  constructor(
    readonly type: StructType,
    readonly attributes: StructAttributes,
    readonly parent: StructElement | undefined,
  ) {}
}

/** What the tree needs of a page: its content, to close a sequence and to open the next one on demand. */
export interface MarkablePage {
  content: { text: string; opening: (() => string) | undefined };
}

/** One page's share of the tree: MCIDs in order, each naming its structure element (the parent tree). */
export class TaggedPage {
  /** Element of each MCID, by MCID. */
  readonly mcids: StructElement[] = [];
  /** Who owns what the page draws next: an element, or nobody (an artifact). */
  private owner: StructElement | undefined;
  /** A marked-content sequence is open in the content (something was drawn since the owner changed). */
  private sequence = false;

  constructor(
    readonly tree: StructureTree,
    readonly page: MarkablePage,
    readonly index: number,
  ) {
    this.owner = tree.current;
  }

  /** Opens a structure element inside the current one; what this page draws next belongs to it. */
  open(type: StructType, attributes: StructAttributes = {}): void {
    if (this.tree.suppressed) return;
    this.tree.activate(this);
    this.end();
    const el = new StructElement(type, attributes, this.tree.current);
    this.tree.current.kids.push(el);
    this.tree.current = el;
    this.arm(el);
  }

  close(): void {
    if (this.tree.suppressed) return;
    this.tree.activate(this);
    this.end();
    const parent = this.tree.current.parent;
    if (parent) this.tree.current = parent;
    this.arm(this.tree.current);
  }

  /** Runs `draw` inside an element of its own. */
  tag(type: StructType, attributes: StructAttributes, draw: () => void): void {
    this.open(type, attributes);
    try {
      draw();
    } finally {
      this.close();
    }
  }

  /** Runs `draw` as an artifact even inside an element (a table's header rows drawn again on a new page). */
  artifact(draw: () => void): void {
    if (this.tree.suppressed) return draw();
    this.tree.activate(this);
    this.end();
    this.arm(undefined);
    // Elements the drawing opens (the cells of a repeated header row) are not made.
    this.tree.suppressed++;
    try {
      draw();
    } finally {
      this.tree.suppressed--;
      this.end();
      this.arm(this.tree.current);
    }
  }

  /** A link annotation (its index on the page) belongs to the current element, a Link. */
  annotation(index: number): void {
    if (this.tree.suppressed) return;
    this.tree.activate(this);
    this.tree.current.kids.push({ kind: 'objr', page: this, annotation: index });
  }

  /** Closes the open sequence, if something was drawn in it. */
  end(): void {
    const content = this.page.content;
    content.opening = undefined;
    if (this.sequence) content.text += 'EMC\n';
    this.sequence = false;
  }

  /** The page becomes the one drawn on: its next content belongs to the tree's current element. */
  resume(): void {
    this.arm(this.tree.current);
  }

  /** What is drawn next belongs to `owner`: its sequence (and MCID) is opened with the first operator. */
  private arm(owner: StructElement | undefined): void {
    this.owner = owner;
    this.page.content.opening = () => {
      this.sequence = true;
      const o = this.owner;
      if (!o || GROUPING.has(o.type)) return '/Artifact BMC\n';
      const mcid = this.mcids.length;
      this.mcids.push(o);
      o.kids.push({ kind: 'mcr', page: this, mcid });
      return `/${o.type} <</MCID ${mcid}>> BDC\n`;
    };
  }
}

/** The document's structure tree, built while its pages are drawn. */
export class StructureTree {
  readonly root = new StructElement('Document', {}, undefined);
  current: StructElement = this.root;
  /** Inside `artifact`: elements opened there are not made. */
  suppressed = 0;
  private active: TaggedPage | undefined;
  readonly pages: TaggedPage[] = [];

  addPage(page: MarkablePage): TaggedPage {
    const tagged = new TaggedPage(this, page, this.pages.length);
    this.pages.push(tagged);
    this.activate(tagged);
    return tagged;
  }

  /**
   * Drawing moves to `page` (a new page, a table flowing on, the SPECIMEN mark going back): what the page
   * drawn on before still holds is wrapped with the owner it was drawn under.
   */
  activate(page: TaggedPage): void {
    if (this.active === page) return;
    this.active?.end();
    this.active = page;
    page.resume();
  }

  finish(): void {
    this.active?.end();
    this.active = undefined;
  }
}

/** Object numbers the writer gives the tree: pages and their link annotations. */
export interface StructureRefs {
  pageNum(page: number): number;
  annotationNum(page: number, index: number): number;
  allocate(): number;
  write(num: number, body: string): void;
}

/**
 * Ends the tree before the file is written: the last page's content is wrapped, elements that drew nothing
 * (an empty optional line, an image that failed) are left out, and every link annotation gets its
 * /StructParent key (after the pages' keys, in reading order), which its dictionary needs first.
 */
export function finishStructure(tree: StructureTree): Map<string, number> {
  tree.finish();
  const prune = (el: StructElement): boolean => {
    for (let i = el.kids.length - 1; i >= 0; i--) {
      const k = el.kids[i]!;
      // Empty cells stay: a table's columns line up only if every row has all its cells.
      if (k instanceof StructElement && !prune(k) && k.type !== 'TD' && k.type !== 'TH') el.kids.splice(i, 1);
    }
    return el.kids.length > 0;
  };
  prune(tree.root);
  const keys = new Map<string, number>();
  let next = tree.pages.length;
  const walk = (el: StructElement) => {
    for (const k of el.kids) {
      if (k instanceof StructElement) walk(k);
      else if (k.kind === 'objr') keys.set(`${k.page.index}:${k.annotation}`, next++);
    }
  };
  walk(tree.root);
  return keys;
}

/** Writes the tree's objects (after the pages) and returns the StructTreeRoot's number. */
export function writeStructure(tree: StructureTree, refs: StructureRefs, annotationKeys: Map<string, number>): number {
  const rootNum = refs.allocate();
  const nums = new Map<StructElement, number>();
  const order: StructElement[] = [];
  const number = (el: StructElement) => {
    nums.set(el, refs.allocate());
    order.push(el);
    for (const k of el.kids) if (k instanceof StructElement) number(k);
  };
  number(tree.root);

  for (const el of order) {
    const own = el.kids.find((k): k is Exclude<Kid, StructElement> => !(k instanceof StructElement));
    const page = own?.page;
    const kids: string[] = [];
    for (const k of el.kids) {
      if (k instanceof StructElement) kids.push(`${nums.get(k)} 0 R`);
      else if (k.kind === 'mcr')
        kids.push(k.page === page ? String(k.mcid) : `<< /Type /MCR /Pg ${refs.pageNum(k.page.index)} 0 R /MCID ${k.mcid} >>`);
      else kids.push(`<< /Type /OBJR /Pg ${refs.pageNum(k.page.index)} 0 R /Obj ${refs.annotationNum(k.page.index, k.annotation)} 0 R >>`);
    }
    const parent = el.parent ? nums.get(el.parent)! : rootNum;
    let dict = `<< /Type /StructElem /S /${el.type} /P ${parent} 0 R`;
    if (page) dict += ` /Pg ${refs.pageNum(page.index)} 0 R`;
    const a = el.attributes;
    if (a.lang) dict += ` /Lang ${textString(a.lang)}`;
    if (a.alt !== undefined) dict += ` /Alt ${textString(a.alt)}`;
    if (a.actualText !== undefined) dict += ` /ActualText ${textString(a.actualText)}`;
    const attributes: string[] = [];
    if (a.scope) attributes.push(`<< /O /Table /Scope /${a.scope} >>`);
    const layout: string[] = [];
    if (a.bbox) layout.push(`/BBox [${a.bbox.map(num).join(' ')}]`);
    if (a.rightToLeft) layout.push('/WritingMode /RlTb');
    if (layout.length) attributes.push(`<< /O /Layout ${layout.join(' ')} >>`);
    if (attributes.length === 1) dict += ` /A ${attributes[0]}`;
    else if (attributes.length > 1) dict += ` /A [${attributes.join(' ')}]`;
    dict += ` /K ${kids.length === 1 ? kids[0] : `[${kids.join(' ')}]`} >>`;
    refs.write(nums.get(el)!, dict);
  }

  // The parent tree: each page's MCIDs → their elements (key = page index), then each annotation → its Link.
  let entries = '';
  for (const page of tree.pages) entries += ` ${page.index} [${page.mcids.map((el) => `${nums.get(el)} 0 R`).join(' ')}]`;
  const byKey: [number, StructElement][] = [];
  for (const el of order)
    for (const k of el.kids)
      if (!(k instanceof StructElement) && k.kind === 'objr') byKey.push([annotationKeys.get(`${k.page.index}:${k.annotation}`)!, el]);
  byKey.sort((a, b) => a[0] - b[0]);
  for (const [key, el] of byKey) entries += ` ${key} ${nums.get(el)} 0 R`;
  const next = tree.pages.length + byKey.length;
  const parentTree = refs.allocate();
  refs.write(parentTree, `<< /Nums [${entries.trimStart()}] >>`);
  refs.write(rootNum, `<< /Type /StructTreeRoot /K ${nums.get(tree.root)} 0 R /ParentTree ${parentTree} 0 R /ParentTreeNextKey ${next} >>`);
  return rootNum;
}
