/**
 * The areas as a tree (province, communes, residential areas) with subscriber counts. The API counts
 * subscribers by the area each is filed under; a parent's count is its own plus its whole subtree's.
 */
export interface AreaRecord {
  code: string;
  name: string;
  parentCode?: string;
  quiet?: boolean;
}

export interface AreaNode {
  code: string;
  name: string;
  quiet: boolean;
  depth: number;
  /** Subscribers filed under this area or anywhere below it. */
  count: number;
  children: AreaNode[];
}

/**
 * Builds the forest in the order the areas came (children after their parent, siblings as listed). An
 * area whose parent is not among `areas` becomes a root, so a partial list still shows every area.
 */
export function buildAreaTree(areas: readonly AreaRecord[], countsByArea: Readonly<Record<string, number>> = {}): AreaNode[] {
  const nodes = new Map<string, AreaNode>();
  for (const area of areas) {
    nodes.set(area.code, { code: area.code, name: area.name, quiet: area.quiet === true, depth: 0, count: 0, children: [] });
  }
  const roots: AreaNode[] = [];
  for (const area of areas) {
    const node = nodes.get(area.code)!;
    const parent = area.parentCode === undefined ? undefined : nodes.get(area.parentCode);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const settle = (node: AreaNode, depth: number): number => {
    node.depth = depth;
    node.count = (countsByArea[node.code] ?? 0) + node.children.reduce((sum, child) => sum + settle(child, depth + 1), 0);
    return node.count;
  };
  for (const root of roots) settle(root, 0);
  return roots;
}

/** Every node, parents before their children, as a flat list (for tables and look-ups). */
export function flattenAreaTree(roots: readonly AreaNode[]): AreaNode[] {
  return roots.flatMap((node) => [node, ...flattenAreaTree(node.children)]);
}

/** The sum of the counts of the roots: everyone in the tree. */
export function totalCount(roots: readonly AreaNode[]): number {
  return roots.reduce((sum, node) => sum + node.count, 0);
}
