import { TreeSelect, type TreeSelectProps } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Department } from '../../common/schemas/platform';
import { errorText } from '../api/client';
import { orgApi } from '../api/platform';
import { useT } from '../i18n';

export interface DepartmentNode extends Department {
  children?: DepartmentNode[];
}

const bySort = (a: Department, b: Department) =>
  a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN');

/** The flat list from GET /departments as a tree (children sorted by sortOrder, then name). */
export function buildDepartmentTree(items: Department[]): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>(items.map((d) => [d.id, { ...d }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (!parent) {
      roots.push(node);
    } else if (parent.children) {
      parent.children.push(node);
    } else {
      parent.children = [node];
    }
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort(bySort);
    for (const n of list) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Ids of a department and all departments below it. */
export function subtreeIds(items: Department[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of items) {
      if (d.parentId && out.has(d.parentId) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Loads the department list once per mounting component. */
export function useDepartments() {
  const [items, setItems] = useState<Department[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const res = await orgApi.listDepartments();
      setItems(res.items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    reload();
  }, [reload]);
  return { items, loading, error, reload };
}

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: TreeOption[];
}

export function DepartmentSelect({
  departments,
  exclude,
  allowInactive = false,
  ...props
}: Omit<TreeSelectProps<string>, 'treeData'> & {
  departments: Department[];
  /** Departments that cannot be picked and are hidden with their sub-departments. */
  exclude?: Set<string>;
  /** Deactivated departments can be picked (filters) or not (assignments). */
  allowInactive?: boolean;
}) {
  const t = useT();
  const treeData = useMemo(() => {
    const toOption = (n: DepartmentNode): TreeOption => ({
      value: n.id,
      title: n.active ? n.name : `${n.name}${t('departments.inactiveSuffix')}`,
      disabled: !allowInactive && !n.active,
      children: n.children?.filter((c) => !exclude?.has(c.id)).map(toOption),
    });
    return buildDepartmentTree(departments)
      .filter((n) => !exclude?.has(n.id))
      .map(toOption);
  }, [departments, exclude, allowInactive, t]);
  return (
    <TreeSelect<string>
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      allowClear
      placeholder={t('common.pleaseSelect')}
      popupMatchSelectWidth={false}
      {...props}
      treeData={treeData}
    />
  );
}
