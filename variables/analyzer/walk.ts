import { Output, TypeGuards, type Expression, type Template, type Token } from 'liquidjs';
import { didYouMean } from '../suggest';
import type { Schema } from '../types';
import { Expressions, report, type Sink } from './expressions';
import { parseLiquid } from './parse';
import { FORLOOP, Scope, TABLEROWLOOP, UNKNOWN, describeType, type Ty } from './scope';

/** The name typeAt plants at the cursor: when the walk meets it, it records the scope there. */
export const PROBE = '__attest_cursor__';

export interface Probe {
  scope?: Scope;
  guards?: ReadonlySet<string>;
}

export interface WalkContext {
  schema: Schema;
  partials: Readonly<Record<string, string>>;
  /** Partials being walked, to stop `{% include "a" %}` inside "a". */
  stack: readonly string[];
  probe?: Probe;
}

type Guards = ReadonlySet<string>;
type ValueLike = { initial: Expression; filters: readonly unknown[] };

/** What a condition tells about data: which paths are present when it holds, and when it does not. */
interface Facts {
  ty: Ty;
  whenTrue: string[];
  whenFalse: string[];
}

/**
 * Walks a parsed template in document order with the scope Liquid would have at each point, checking every
 * expression and tracking which optional values an enclosing `if` has made safe to print.
 */
export class Walker {
  private readonly exprs: Expressions;
  constructor(
    private readonly sink: Sink,
    private readonly ctx: WalkContext,
  ) {
    this.exprs = new Expressions(sink);
  }

  walk(templates: readonly Template[], scope: Scope, guards: Guards): void {
    for (const tpl of templates) this.template(tpl, scope, guards);
  }

  private template(tpl: Template, scope: Scope, guards: Guards): void {
    if (tpl instanceof Output) return this.print(tpl.value, scope, guards);
    const name = (tpl as { name?: unknown }).name;
    if (typeof name !== 'string') return; // HTML
    const tag = tpl as unknown as Record<string, unknown>;
    switch (name) {
      case 'echo':
        if (tag.value) this.print(tag.value as ValueLike, scope, guards);
        return;
      case 'assign': {
        const ty = this.exprs.value(tag.value as ValueLike, scope, guards);
        const key = tag.key as string;
        scope.bottom().set(key, { ty: { ...ty, path: key }, origin: 'local' });
        return;
      }
      case 'capture':
        this.walk(tag.templates as Template[], scope, guards);
        scope.bottom().set(tag.variable as string, { ty: { type: { kind: 'string' }, optional: false, personal: false, path: tag.variable as string }, origin: 'local' });
        return;
      case 'increment':
      case 'decrement':
        scope.bottom().set(tag.variable as string, { ty: { type: { kind: 'integer' }, optional: false, personal: false }, origin: 'local' });
        return;
      case 'for':
      case 'tablerow':
        return this.loop(name, tag, scope, guards);
      case 'if':
      case 'unless':
        return this.conditional(name, tag, scope, guards);
      case 'case':
        return this.caseTag(tag, scope, guards);
      case 'include':
      case 'render':
        return this.partial(name, tpl, tag, scope, guards);
      case 'raw':
      case 'comment':
      case '#':
      case 'break':
      case 'continue':
        return;
      default:
        // cycle, liquid, and anything else: check what they evaluate, walk what they contain.
        for (const a of tpl.arguments?.() ?? []) this.argument(a, scope, guards);
        if (Array.isArray(tag.templates)) this.walk(tag.templates as Template[], scope, guards);
    }
  }

  private argument(a: unknown, scope: Scope, guards: Guards): Ty {
    if (a && typeof a === 'object' && 'initial' in a && 'filters' in a && !TypeGuards.isFilteredValueToken(a)) {
      return this.exprs.value(a as ValueLike, scope, guards);
    }
    return this.exprs.token(a, scope, guards);
  }

  /** `{{ … }}` and `{% echo %}`: an optional value printed bare prints nothing on some documents. */
  private print(value: ValueLike, scope: Scope, guards: Guards): void {
    const first = value.initial.postfix[0];
    if (this.ctx.probe && value.initial.postfix.length === 1 && TypeGuards.isPropertyAccessToken(first)) {
      const root = first.props[0];
      if (!first.variable && TypeGuards.isWordToken(root) && root.content === PROBE) {
        this.ctx.probe.scope = scope;
        this.ctx.probe.guards = guards;
        return;
      }
    }
    const ty = this.exprs.value(value, scope, guards);
    if (ty.optional && !ty.nil && first) {
      const last = value.filters.length > 0 ? (value.filters[value.filters.length - 1] as { token?: { end: number } }).token : undefined;
      const lastOperand = value.initial.postfix[value.initial.postfix.length - 1]!;
      const end = Math.max(last?.end ?? 0, ...value.initial.postfix.map((t) => t.end), lastOperand.end);
      const begin = Math.min(...value.initial.postfix.map((t) => t.begin));
      const what = first.getText();
      report(
        this.sink,
        'OPTIONAL_WITHOUT_DEFAULT',
        'warning',
        `${what} is optional and may be missing: print it with | default: "…" or inside {% if ${ty.path ?? what} %}.`,
        begin,
        end,
        { title: 'Add | default: ""', replacement: ' | default: ""', begin: end, end },
      );
    }
  }

  private loop(name: string, tag: Record<string, unknown>, scope: Scope, guards: Guards): void {
    const collection = tag.collection as Token;
    const ty = this.exprs.token(collection, scope, guards);
    const hash = ((tag.hash ?? tag.args) as { hash?: Record<string, unknown> } | undefined)?.hash ?? {};
    for (const v of Object.values(hash)) if (v) this.exprs.token(v, scope, guards);
    let item: Ty = { ...UNKNOWN, personal: ty.personal };
    if (ty.type?.kind === 'list') item = { type: ty.type.of, optional: false, personal: ty.personal };
    else if (ty.type && !ty.nil) {
      report(
        this.sink,
        'LOOP_NOT_LIST',
        'error',
        `${collection.getText()} is ${describeType(ty.type)}, not a list: {% ${name} %} loops over lists only.`,
        collection.begin,
        collection.end,
      );
    }
    const inner = new Scope(scope, undefined, false);
    const variable = tag.variable as string;
    inner.set(variable, { ty: { ...item, path: variable }, origin: 'loop' });
    const loopName = name === 'for' ? 'forloop' : 'tablerowloop';
    inner.set(loopName, { ty: { type: loopName === 'forloop' ? FORLOOP : TABLEROWLOOP, optional: false, personal: false }, origin: 'loop' });
    this.walk(tag.templates as Template[], inner, guards);
    if (Array.isArray(tag.elseTemplates)) this.walk(tag.elseTemplates as Template[], scope, guards);
  }

  private conditional(name: string, tag: Record<string, unknown>, scope: Scope, guards: Guards): void {
    const branches = tag.branches as { value: ValueLike; templates: Template[] }[];
    let elseGuards = guards;
    branches.forEach((branch, i) => {
      const facts = this.condition(branch.value, scope, guards);
      // unless runs its body when the condition is false; its elsif branches are ordinary ifs.
      const negated = name === 'unless' && i === 0;
      this.walk(branch.templates, scope, withPaths(guards, negated ? facts.whenFalse : facts.whenTrue));
      if (branches.length === 1) elseGuards = withPaths(guards, negated ? facts.whenTrue : facts.whenFalse);
    });
    if (Array.isArray(tag.elseTemplates)) this.walk(tag.elseTemplates as Template[], scope, elseGuards);
  }

  private caseTag(tag: Record<string, unknown>, scope: Scope, guards: Guards): void {
    const subject = this.exprs.value(tag.value as ValueLike, scope, guards);
    const branches = tag.branches as { values: unknown[]; templates: Template[] }[];
    for (const branch of branches) {
      let literal = true;
      for (const v of branch.values) {
        const ty = this.exprs.token(v, scope, guards);
        if (ty.nil || ty.literal === undefined) literal = false;
      }
      // `when "x"` only matches a present subject.
      this.walk(branch.templates, scope, literal && subject.path ? withPaths(guards, [subject.path]) : guards);
    }
    if (Array.isArray(tag.elseTemplates)) this.walk(tag.elseTemplates as Template[], scope, guards);
  }

  /** Checks a condition and works out which paths it proves present. */
  private condition(value: ValueLike, scope: Scope, guards: Guards): Facts {
    const stack: Facts[] = [];
    for (const tok of value.initial.postfix) {
      if (!TypeGuards.isOperatorToken(tok)) {
        const ty = this.exprs.token(tok, scope, guards);
        stack.push({ ty, whenTrue: ty.path ? [ty.path] : [], whenFalse: [] });
        continue;
      }
      const right = stack.pop();
      if (tok.operator === 'not') {
        stack.push(right ? { ty: BOOL, whenTrue: right.whenFalse, whenFalse: right.whenTrue } : { ty: BOOL, whenTrue: [], whenFalse: [] });
        continue;
      }
      const left = stack.pop();
      if (!left || !right) {
        stack.push({ ty: BOOL, whenTrue: [], whenFalse: [] });
        continue;
      }
      stack.push(combine(tok.operator, left, right));
    }
    const facts = stack.length === 1 ? stack[0]! : { ty: UNKNOWN, whenTrue: [], whenFalse: [] };
    if (value.filters.length > 0) return { ty: this.exprs.value(value, scope, guards), whenTrue: [], whenFalse: [] };
    return facts;
  }

  private partial(kind: 'include' | 'render', tpl: Template, tag: Record<string, unknown>, scope: Scope, guards: Guards): void {
    const hash = (tag.hash as { hash?: Record<string, unknown> } | undefined)?.hash ?? {};
    const args = new Map<string, Ty>();
    for (const [name, v] of Object.entries(hash)) {
      args.set(name, v ? { ...this.exprs.token(v, scope, guards), path: name } : { type: { kind: 'boolean' }, optional: false, personal: false });
    }
    const file = tag.file;
    // With static partial names liquidjs keeps the quotes: `"signature"`; the engine's loader strips them.
    const name = typeof file === 'string' ? file.replace(/^(["'])(.*)\1$/, '$2').replace(/^\/+/, '').replace(/\.liquid$/, '') : undefined;
    let withBinding: { value: Token; alias?: string } | undefined;
    let forBinding: { value: Token; alias?: string } | undefined;
    if (kind === 'include' && tag.withVar) withBinding = { value: tag.withVar as Token };
    if (kind === 'render') {
      withBinding = tag.with as typeof withBinding;
      forBinding = tag.forBinding as typeof forBinding;
    }
    const withTy = withBinding ? this.exprs.token(withBinding.value, scope, guards) : undefined;
    const forTy = forBinding ? this.exprs.token(forBinding.value, scope, guards) : undefined;
    if (forBinding && forTy?.type && forTy.type.kind !== 'list' && !forTy.nil) {
      report(this.sink, 'LOOP_NOT_LIST', 'error', `${forBinding.value.getText()} is ${describeType(forTy.type)}, not a list: render … for loops over lists only.`, forBinding.value.begin, forBinding.value.end);
    }
    if (name === undefined) return; // a file name built from data: nothing to check statically.
    if (!Object.hasOwn(this.ctx.partials, name)) {
      const guess = didYouMean(name, Object.keys(this.ctx.partials));
      report(this.sink, 'PARTIAL_UNKNOWN', 'error', `No partial named "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`, tpl.token.begin, tpl.token.end);
      return;
    }
    if (this.ctx.stack.includes(name)) return;
    const parsed = parseLiquid(this.ctx.partials[name]!);
    const outer = this.sink;
    const at = outer.range(tpl.token.begin, tpl.token.end);
    const sink: Sink = { diagnostics: outer.diagnostics, range: () => at, prefix: `${outer.prefix}In partial "${name}": `, fixable: false, public: outer.public };
    if (!parsed.templates) {
      for (const p of parsed.problems) report(sink, p.code, 'error', p.message, 0, 0);
      return;
    }
    // include shares the caller's scope; render sees only what it is given.
    const inner = kind === 'include' ? new Scope(scope, undefined, false) : new Scope(undefined, undefined, true);
    for (const [n, ty] of args) inner.set(n, { ty, origin: 'argument' });
    if (withBinding && withTy) inner.set(withBinding.alias ?? name, { ty: { ...withTy, path: withBinding.alias ?? name }, origin: 'argument' });
    if (forBinding && forTy) {
      const alias = forBinding.alias ?? name;
      const item: Ty = forTy.type?.kind === 'list' ? { type: forTy.type.of, optional: false, personal: forTy.personal } : { ...UNKNOWN, personal: forTy.personal };
      inner.set(alias, { ty: { ...item, path: alias }, origin: 'loop' });
      inner.set('forloop', { ty: { type: FORLOOP, optional: false, personal: false }, origin: 'loop' });
    }
    const walker = new Walker(sink, { ...this.ctx, stack: [...this.ctx.stack, name], probe: undefined });
    walker.walk(parsed.templates, inner, kind === 'include' ? guards : new Set());
  }
}

const BOOL: Ty = { type: { kind: 'boolean' }, optional: false, personal: false };

function isNilish(f: Facts): boolean {
  return !!f.ty.nil || f.ty.literal === '';
}

function combine(op: string, left: Facts, right: Facts): Facts {
  switch (op) {
    case 'and':
      return { ty: BOOL, whenTrue: [...left.whenTrue, ...right.whenTrue], whenFalse: intersect(left.whenFalse, right.whenFalse) };
    case 'or':
      return { ty: BOOL, whenTrue: intersect(left.whenTrue, right.whenTrue), whenFalse: [...left.whenFalse, ...right.whenFalse] };
    case '==':
      if (isNilish(right)) return { ty: BOOL, whenTrue: [], whenFalse: left.whenTrue };
      if (isNilish(left)) return { ty: BOOL, whenTrue: [], whenFalse: right.whenTrue };
      return { ty: BOOL, whenTrue: [...(right.ty.literal !== undefined ? left.whenTrue : []), ...(left.ty.literal !== undefined ? right.whenTrue : [])], whenFalse: [] };
    case '!=':
      if (isNilish(right)) return { ty: BOOL, whenTrue: left.whenTrue, whenFalse: [] };
      if (isNilish(left)) return { ty: BOOL, whenTrue: right.whenTrue, whenFalse: [] };
      return { ty: BOOL, whenTrue: [], whenFalse: [] };
    case 'contains':
      return { ty: BOOL, whenTrue: left.whenTrue, whenFalse: [] };
    default:
      // <, >, <=, >=: nil compares false with everything.
      return { ty: BOOL, whenTrue: [...left.whenTrue, ...right.whenTrue], whenFalse: [] };
  }
}

function intersect(a: string[], b: string[]): string[] {
  return a.filter((x) => b.includes(x));
}

/** A present `a.b[0].c` means `a`, `a.b` and `a.b[0]` are present too. */
function withPaths(guards: Guards, paths: readonly string[]): Guards {
  if (paths.length === 0) return guards;
  const out = new Set(guards);
  for (const path of paths) {
    out.add(path);
    for (let i = 1; i < path.length; i++) if (path[i] === '.' || path[i] === '[') out.add(path.slice(0, i));
  }
  return out;
}
