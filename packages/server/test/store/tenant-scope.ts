/**
 * @module test/store/tenant-scope
 * Reads a statement's parse tree from PostgreSQL's own parser (libpg-query,
 * the server's parser compiled to WebAssembly) and tells which uses of a
 * distributed table are not held to one tenant: every SELECT, UPDATE and
 * DELETE level that reads such a table must have, among the top-level AND
 * terms of its WHERE clause or join conditions, `tenant_id = …` on that
 * table (a value or another table's `tenant_id`, i.e. a colocated join), or
 * `(tenant_id, …) IN (subquery)`; an INSERT must name `tenant_id`. That is
 * what lets Citus route a statement to one shard
 * (https://docs.citusdata.com/en/stable/develop/reference_workarounds.html).
 * At a level that is not held to one tenant it also reports the two forms
 * Citus refuses across shards: `LIMIT` in a subquery of a modification and
 * row locks (`FOR UPDATE`, `SKIP LOCKED`); on one shard both are fine.
 */
type Node = Record<string, unknown>;

export interface Finding {
  table: string;
  problem: string;
}

const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/** `[qualifier, column]` of a ColumnRef node, or undefined. */
function columnRef(n: unknown): [string | undefined, string] | undefined {
  if (!isObj(n) || !isObj(n.ColumnRef)) return undefined;
  const fields = ((n.ColumnRef as Node).fields as Node[]).map(
    (f) => (f.String as Node | undefined)?.sval as string,
  );
  return [fields.length > 1 ? fields[fields.length - 2] : undefined, fields[fields.length - 1]!];
}

/** The top-level AND terms of an expression. */
function conjuncts(e: unknown): unknown[] {
  if (isObj(e) && isObj(e.BoolExpr) && (e.BoolExpr as Node).boolop === 'AND_EXPR')
    return ((e.BoolExpr as Node).args as unknown[]).flatMap(conjuncts);
  return e === undefined ? [] : [e];
}

/** Whether `term` constrains or joins `alias`'s tenant_id. */
function holdsTenant(term: unknown, alias: string): boolean {
  const ours = (c: [string | undefined, string] | undefined) =>
    c !== undefined && c[1] === 'tenant_id' && (c[0] === undefined || c[0] === alias);
  if (isObj(term) && isObj(term.A_Expr)) {
    const a = term.A_Expr as Node;
    const op = ((a.name as Node[] | undefined)?.[0]?.String as Node | undefined)?.sval;
    return a.kind === 'AEXPR_OP' && op === '=' && (ours(columnRef(a.lexpr)) || ours(columnRef(a.rexpr)));
  }
  if (isObj(term) && isObj(term.SubLink)) {
    const s = term.SubLink as Node;
    const row =
      isObj(s.testexpr) && isObj(s.testexpr.RowExpr) ? ((s.testexpr.RowExpr as Node).args as unknown[]) : [];
    return s.subLinkType === 'ANY_SUBLINK' && row.some((x) => ours(columnRef(x)));
  }
  return false;
}

/** Relations read at one level (FROM items, joins), with the join conditions found there. */
function relationsOf(items: unknown[] | undefined, quals: unknown[]): Array<{ name: string; alias: string }> {
  const out: Array<{ name: string; alias: string }> = [];
  for (const it of items ?? []) {
    if (!isObj(it)) continue;
    if (isObj(it.RangeVar)) {
      const r = it.RangeVar as Node;
      const name = r.relname as string;
      out.push({ name, alias: ((r.alias as Node | undefined)?.aliasname as string | undefined) ?? name });
    } else if (isObj(it.JoinExpr)) {
      const j = it.JoinExpr as Node;
      quals.push(...conjuncts(j.quals));
      out.push(...relationsOf([j.larg, j.rarg], quals));
    }
  }
  return out;
}

/** Every finding in one parsed statement (`stmt` of libpg-query's output). */
export function tenantFindings(stmt: Node, distributed: (table: string) => boolean): Finding[] {
  const found: Finding[] = [];
  /** Records the level's unheld tables; true when every distributed table there is held. */
  const level = (rels: Array<{ name: string; alias: string }>, where: unknown, quals: unknown[]) => {
    const terms = [...conjuncts(where), ...quals];
    let held = true;
    for (const r of rels)
      if (distributed(r.name) && !terms.some((t) => holdsTenant(t, r.alias))) {
        found.push({ table: r.name, problem: 'no tenant_id = … on it' });
        held = false;
      }
    return held;
  };
  const visit = (n: unknown, inModification: boolean): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x, inModification);
      return;
    }
    if (!isObj(n)) return;
    let modifies = inModification;
    if (isObj(n.SelectStmt)) {
      const s = n.SelectStmt as Node;
      const quals: unknown[] = [];
      const rels = relationsOf(s.fromClause as unknown[], quals);
      if (!level(rels, s.whereClause, quals)) {
        const tables = rels.map((r) => r.name).join(',');
        if (s.lockingClause) found.push({ table: tables, problem: 'row lock (FOR UPDATE …) across tenants' });
        if (inModification && s.limitCount)
          found.push({ table: tables, problem: 'LIMIT inside a modification' });
      }
    } else if (isObj(n.UpdateStmt) || isObj(n.DeleteStmt)) {
      const s = (n.UpdateStmt ?? n.DeleteStmt) as Node;
      const quals: unknown[] = [];
      const rels = [
        ...relationsOf([{ RangeVar: s.relation }], quals),
        ...relationsOf((s.fromClause ?? s.usingClause) as unknown[], quals),
      ];
      level(rels, s.whereClause, quals);
      modifies = true;
    } else if (isObj(n.InsertStmt)) {
      const s = n.InsertStmt as Node;
      const name = (s.relation as Node).relname as string;
      const cols = ((s.cols as Node[] | undefined) ?? []).map((c) => (c.ResTarget as Node).name);
      if (distributed(name) && !cols.includes('tenant_id'))
        found.push({ table: name, problem: 'INSERT without tenant_id' });
      modifies = true;
    }
    for (const v of Object.values(n)) visit(v, modifies);
  };
  visit(stmt, false);
  return found;
}
