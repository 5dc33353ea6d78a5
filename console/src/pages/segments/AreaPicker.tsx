import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import type { AreaNode } from '../subscribers/area-tree';
import { includedThrough, toggleArea, type ParentOf } from './area-selection';

/**
 * The area tree as checkboxes: picking an area picks its whole subtree, whose boxes show ticked and
 * locked. Branches open and close with a button (aria-expanded), so the tree works with a keyboard alone.
 */
export function AreaPicker({
  roots,
  parentOf,
  picked,
  onChange,
  counted,
}: {
  roots: readonly AreaNode[];
  parentOf: ParentOf;
  picked: readonly string[];
  onChange(picked: string[]): void;
  /** Whether node counts are known (the tree shows how many people each area holds). */
  counted: boolean;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(roots.map((root) => root.code)));
  const pickedSet = new Set(picked);
  const toggleOpen = (code: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (!next.delete(code)) next.add(code);
      return next;
    });
  const renderNode = (node: AreaNode) => {
    const through = includedThrough(node.code, pickedSet, parentOf);
    return (
      <AreaPickerItem
        key={node.code}
        node={node}
        checked={pickedSet.has(node.code) || through !== undefined}
        locked={through !== undefined}
        expanded={open.has(node.code)}
        counted={counted}
        onToggle={() => onChange(toggleArea(picked, node.code, parentOf))}
        onExpand={() => toggleOpen(node.code)}
      >
        {node.children.map(renderNode)}
      </AreaPickerItem>
    );
  };
  return <ul className="area-picker">{roots.map(renderNode)}</ul>;
}

function AreaPickerItem({
  node,
  checked,
  locked,
  expanded,
  counted,
  onToggle,
  onExpand,
  children,
}: {
  node: AreaNode;
  checked: boolean;
  locked: boolean;
  expanded: boolean;
  counted: boolean;
  onToggle(): void;
  onExpand(): void;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation('segments');
  const id = `area-${node.code}`;
  const hasChildren = node.children.length > 0;
  return (
    <li>
      <div className="area-picker__row">
        {hasChildren ? (
          <button
            type="button"
            className="area-picker__expand"
            aria-expanded={expanded}
            aria-controls={`${id}-children`}
            aria-label={t(expanded ? 'builder.collapse' : 'builder.expand', { name: node.name })}
            onClick={onExpand}
          >
            <span aria-hidden="true">{expanded ? '−' : '+'}</span>
          </button>
        ) : (
          <span className="area-picker__spacer" />
        )}
        <input type="checkbox" id={id} checked={checked} disabled={locked} onChange={onToggle} />
        <label htmlFor={id}>
          {node.name}
          {counted && (
            <span className="muted">
              {' '}
              · {t('builder.people', { count: node.count, formatted: formatNumber(node.count, i18n.language) })}
            </span>
          )}
          {locked && <span className="visually-hidden"> ({t('builder.includedWithParent')})</span>}
        </label>
      </div>
      {hasChildren && (
        <ul id={`${id}-children`} className="area-picker__children" hidden={!expanded}>
          {children}
        </ul>
      )}
    </li>
  );
}
