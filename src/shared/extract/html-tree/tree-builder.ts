// Tree building for html-tree: what tag names mean (void, foreign, implied closes) and how
// elements, text and comments join the domhandler tree — the rules htmlparser2 10's Parser and
// domhandler's DomHandler apply in HTML mode, so that both build the same tree.
import { Comment, Document, Element, ProcessingInstruction, Text, type ChildNode, type ParentNode } from 'domhandler';

/** What a tag name means to tree building, as bits: one lookup a tag. */
const VOID = 1,
  FOREIGN = 2,
  INTEGRATION = 4,
  IMPLIES_CLOSE = 8;
const KIND = new Map<string, number>();
const mark = (bit: number, names: string[]) => {
  for (const name of names) KIND.set(name, (KIND.get(name) ?? 0) | bit);
};
mark(VOID, [
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Self-closing syntax (`<path/>`) closes an element only inside these… */
mark(FOREIGN, ['math', 'svg']);
/** …and not again inside these. */
mark(INTEGRATION, ['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);
const kindOf = (name: string) => KIND.get(name) ?? 0;

/** Opening the key closes open elements of these names, innermost first (htmlparser2's table). */
const CLOSED_BY = (() => {
  const p = ['p'];
  const form = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
  const table: Record<string, string[]> = {
    tr: ['tr', 'th', 'td'],
    th: ['th'],
    td: ['thead', 'th', 'td'],
    body: ['head', 'link', 'script'],
    li: ['li'],
    select: form,
    input: form,
    output: form,
    button: form,
    datalist: form,
    textarea: form,
    option: ['option'],
    optgroup: ['optgroup', 'option'],
    dd: ['dd', 'dt'],
    dt: ['dd', 'dt'],
    rt: ['rt', 'rp'],
    rp: ['rt', 'rp'],
    tbody: ['thead', 'tbody'],
    tfoot: ['thead', 'tbody'],
  };
  for (const name of [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ])
    table[name] = p;
  mark(IMPLIES_CLOSE, Object.keys(table));
  return new Map(Object.entries(table).map(([k, v]) => [k, new Set(v)]));
})();

/** Receives what the scanner reads, in order, and builds the tree from it. */
export class TreeBuilder {
  readonly root = new Document([]);
  /** Elements open in the tree (domhandler's stack). */
  private readonly parents: ParentNode[] = [this.root];
  /** Names of open elements (htmlparser2's own stack, which can differ from the tree's at the end). */
  private readonly names: string[] = [];
  /**
   * How many of each name are in `names`: a closing tag for a name not open is then dismissed at
   * once, not by searching the whole stack (a page of 100,000 nested tags and as many stray closing
   * tags would take minutes).
   */
  private readonly openCount = new Map<string, number>();
  /** Whether `<x/>` closes x here (inside <svg> or <math>), innermost last. */
  private readonly foreign: boolean[] = [false];
  /** The text node that more text joins, until another node or a closing tag comes. */
  private lastText: Text | null = null;

  /** The last child of each element in `parents`, so adding a node reads no array of children. */
  private readonly lastChild: Array<ChildNode | null> = [null];

  private add(node: Element | Text | Comment | ProcessingInstruction): void {
    const top = this.parents.length - 1;
    const parent = this.parents[top]!;
    const prev = this.lastChild[top]!;
    parent.children.push(node);
    if (prev) {
      node.prev = prev;
      prev.next = node;
    }
    node.parent = parent;
    this.lastChild[top] = node;
    this.lastText = null;
  }

  text(data: string): void {
    if (data === '') return;
    if (this.lastText) {
      this.lastText.data += data;
      return;
    }
    const node = new Text(data);
    this.add(node);
    this.lastText = node;
  }

  comment(data: string): void {
    this.add(new Comment(data));
  }

  instruction(name: string, data: string): void {
    this.add(new ProcessingInstruction(name, data));
  }

  private popElement(): void {
    this.lastText = null;
    this.parents.pop();
    this.lastChild.pop();
  }

  /** Close the innermost open element: off both stacks. */
  private closeInnermost(): void {
    const name = this.names.pop()!;
    this.openCount.set(name, this.openCount.get(name)! - 1);
    this.popElement();
  }

  /** The tag's name has been read: close what it implies, and note it open. Returns its kind. */
  openName(name: string): number {
    const kind = kindOf(name);
    if (kind & IMPLIES_CLOSE) {
      const closes = CLOSED_BY.get(name)!;
      while (this.names.length > 0 && closes.has(this.names[this.names.length - 1]!)) {
        this.closeInnermost();
      }
    }
    if (kind & VOID) return kind;
    this.names.push(name);
    this.openCount.set(name, (this.openCount.get(name) ?? 0) + 1);
    if (kind & FOREIGN) this.foreign.push(true);
    else if (kind & INTEGRATION) this.foreign.push(false);
    return kind;
  }

  /** The start tag has ended (`>`); `selfClosing` when it ended `/>`. */
  openElement(name: string, kind: number, attribs: Record<string, string>, selfClosing: boolean): void {
    const el = new Element(name, attribs);
    this.add(el);
    this.parents.push(el);
    this.lastChild.push(null);
    if (kind & VOID) this.popElement();
    if (selfClosing && this.foreign[this.foreign.length - 1] && this.names[this.names.length - 1] === name) this.closeInnermost();
  }

  closeName(name: string): void {
    const kind = kindOf(name);
    if (kind & (FOREIGN | INTEGRATION)) this.foreign.pop();
    if (kind & VOID) {
      if (name === 'br') this.openElement('br', kind, {}, false);
      return;
    }
    const at = (this.openCount.get(name) ?? 0) > 0 ? this.names.lastIndexOf(name) : -1;
    if (at !== -1) {
      for (let k = this.names.length - 1; k >= at; k--) {
        this.closeInnermost();
      }
    } else if (name === 'p') {
      // A stray </p> stands for an empty paragraph.
      this.openName('p');
      this.openElement('p', 0, {}, false);
      this.closeInnermost();
    }
  }
}
