// A DOM tree as plain data (type, name, attributes in order, text, children), for comparing the
// trees two parsers build; checks every node's links to its parent and siblings on the way.
import type { AnyNode } from 'domhandler';

export type TreeShape = [string, string | undefined, Array<[string, string]> | undefined, string | undefined, TreeShape[] | undefined];

export function treeShape(node: AnyNode): TreeShape {
  const n = node as AnyNode & { name?: string; attribs?: Record<string, string>; data?: string; children?: AnyNode[] };
  const children = n.children?.map((child, i, all) => {
    if (child.parent !== node) throw new Error(`node ${i} of <${n.name ?? n.type}> has another parent`);
    if ((child.prev ?? null) !== (all[i - 1] ?? null) || (child.next ?? null) !== (all[i + 1] ?? null)) {
      throw new Error(`node ${i} of <${n.name ?? n.type}> has wrong siblings`);
    }
    return treeShape(child);
  });
  return [n.type, n.name, n.attribs && Object.entries(n.attribs), n.data, children];
}
