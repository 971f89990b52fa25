import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../variables/diagnostics';
import { compileFragment, compileLiquid, createEngine, escapeMarkup, LiquidStageError } from '../../../templates/liquid/engine';
import { cpuMillis } from '../../support/cpu';

const markup = createEngine({ locale: 'en', mode: 'markup', partials: { sig: '<text>{{ who }}</text>' } });

function compile(body: string, prefix = '') {
  const fileText = prefix + body;
  const r = compileLiquid(markup, body, { fileText, bodyOffset: prefix.length });
  return r;
}

describe('the sandboxed Liquid engine', () => {
  it('prints data as text, never markup or Liquid', () => {
    const { compiled } = compile('<text>{{ learner.fullname }}</text>');
    const out = compiled!.render({ learner: { fullname: '<b>{{ 7*7 }}</b> & "Ō\'Brien"' } }).output;
    expect(out).toBe('<text>&lt;b&gt;{{ 7*7 }}&lt;/b&gt; &amp; &quot;Ō&#39;Brien&quot;</text>');
  });

  it('has no raw filter to bypass escaping, and unknown filters are parse errors', () => {
    for (const body of ['{{ x | raw }}', '{{ x | no_such_filter }}']) {
      const r = compile(body);
      expect(r.compiled).toBeUndefined();
      expect(r.diagnostics[0]?.code).toBe('LIQUID_SYNTAX');
    }
  });

  it('reads only own properties of the data', () => {
    const { compiled } = compile('{{ x.constructor }}|{{ x.__proto__ }}|{{ x.toString }}|{{ x.hasOwnProperty }}|{{ x.a }}');
    expect(compiled!.render({ x: { a: 1 } }).output).toBe('||||1');
  });

  it('drops characters XML cannot carry instead of breaking the markup', () => {
    expect(escapeMarkup('a\u0000b\u0007c')).toBe('a\uFFFDb\uFFFDc');
  });

  it('stops runaway templates with LIQUID_LIMIT, quickly', () => {
    const { compiled } = compile('{% for i in (1..100000000) %}{{ i }}{% endfor %}');
    const start = cpuMillis();
    expect(() => compiled!.render({})).toThrow(LiquidStageError);
    expect(cpuMillis() - start).toBeLessThan(2000);
    try {
      compiled!.render({});
    } catch (e) {
      expect((e as LiquidStageError).diagnostics[0]?.code).toBe('LIQUID_LIMIT');
    }
  });

  it('limits the size of the output', () => {
    const engine = createEngine({ locale: 'en', mode: 'markup', limits: { outputLimit: 1000 } });
    const r = compileLiquid(engine, '{% for i in (1..500) %}xxxx{% endfor %}', { fileText: '', bodyOffset: 0 }, { outputLimit: 1000 });
    expect(() => r.compiled!.render({})).toThrow(LiquidStageError);
  });

  it('renders partials from the template only, never from disk', () => {
    const { compiled } = compile('{% render "sig", who: name %}');
    expect(compiled!.render({ name: 'Ana' }).output).toBe('<text>Ana</text>');
    const r = compile('{% render "../../etc/passwd" %}');
    const failed = r.compiled
      ? (() => {
          try {
            r.compiled.render({});
            return false;
          } catch {
            return true;
          }
        })()
      : true;
    expect(failed).toBe(true);
  });

  it('reports syntax errors at their line and column in the file', () => {
    const prefix = '---\nname: x\n---\n';
    const r = compile('<page>\n  {% if x %}\n</page>', prefix);
    expect(r.diagnostics[0]?.code).toBe('LIQUID_SYNTAX');
    expect(r.diagnostics[0]?.range?.start.line).toBe(5);
  });

  it('maps rendered offsets back to the template, through loops and outputs', () => {
    const prefix = '---\nname: x\n---\n';
    const body = '<page>\n{% for t in list %}<text>{{ t }}</text>\n{% endfor %}</page>';
    const r = compile(body, prefix);
    const { output, map } = r.compiled!.render({ list: ['a', 'bb'] });
    const lines = new LineIndex(prefix + body);
    const second = output.indexOf('<text>', output.indexOf('<text>') + 1);
    // Both <text> tags come from the same place in the template: line 5, column 20.
    expect(map.locate(second, second + 6)?.start).toEqual({ line: 5, column: 20 });
    expect(lines.position(map.sourceOffset(output.indexOf('<text>'))!)).toEqual({ line: 5, column: 20 });
    // A value maps to its {{ … }}.
    const bb = output.indexOf('bb');
    expect(map.locate(bb, bb + 2)).toEqual({ start: { line: 5, column: 26 }, end: { line: 5, column: 33 } });
    expect(map.locate(0, 6)?.start).toEqual({ line: 4, column: 1 });
  });

  it('renders plain-text fragments without escaping', () => {
    const text = createEngine({ locale: 'en', mode: 'text' });
    const f = compileFragment(text, 'Certificate — {{ c }}', { fileText: 'x', offset: 0, what: 'metadata.title' });
    expect(f.render!({ c: 'A & B <x>' })).toBe('Certificate — A & B <x>');
  });
});

describe('the filters a template can use', () => {
  it('are exactly the filter table: no randomness, no clock, no hashing', () => {
    for (const f of ['sample', 'date_to_xmlschema', 'base64_encode', 'sha256', 'hmac_sha256', 'raw']) {
      expect(compileLiquid(markup, `{{ x | ${f} }}`, { fileText: '', bodyOffset: 0 }).diagnostics[0]?.code, f).toBe('LIQUID_SYNTAX');
    }
    const { compiled } = compileLiquid(markup, '{{ d | date: "long" }} {{ n | number: 1 }} {{ "a" | upcase }}', {
      fileText: '',
      bodyOffset: 0,
    });
    expect(compiled!.render({ d: '2026-03-01', n: 3.14159 }).output).toBe('March 1, 2026 3.1 A');
  });
});

describe('memory a template can take', () => {
  const small = createEngine({ locale: 'en', mode: 'markup', limits: { memoryLimit: 1_000_000 } });
  const failure = (body: string, engine = small) => {
    const r = compileLiquid(engine, body, { fileText: body, bodyOffset: 0 });
    const started = cpuMillis();
    try {
      r.compiled!.render({ name: 'Ana' });
    } catch (e) {
      expect(cpuMillis() - started).toBeLessThan(2_000);
      return (e as LiquidStageError).diagnostics[0];
    }
    return undefined;
  };

  it('counts what a capture collects: a doubling capture loop stops at the limit, with its position', () => {
    const d = failure('{% assign s = "x" %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}');
    expect(d?.code).toBe('LIQUID_LIMIT');
    expect(d?.range?.start.line).toBe(1);
  });

  it('counts every string a filter returns: a list of one long value joined thousands of times stops at the limit', () => {
    // The list holds 4,096 references to one 10,240-character value: cheap to build, 42 million characters joined.
    const list =
      '{% assign big = "xxxxxxxxxx" %}{% for i in (1..10) %}{% assign big = big | append: big %}{% endfor %}{% assign a = "" | split: "," | push: big %}{% for i in (1..12) %}{% assign a = a | concat: a %}{% endfor %}';
    expect(failure(`${list}{% assign s = a | join_list %}`)?.code).toBe('LIQUID_LIMIT');
    expect(failure(`${list}{% assign s = a | join: "" %}`)?.code).toBe('LIQUID_LIMIT');
    for (const body of [
      '{% assign s = "x" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}',
      '{% assign s = "xx" %}{% for i in (1..40) %}{% assign s = s | replace: "x", "xx" %}{% endfor %}',
      '{% assign s = "x" %}{% for i in (1..40) %}{% assign s = s | prepend: s %}{% endfor %}',
      '{% assign a = "x,x" | split: "," %}{% for i in (1..40) %}{% assign s = a | join: "," %}{% assign a = s | append: "," | append: s | split: "," %}{% endfor %}',
      '{% assign s = "x" %}{% for i in (1..40) %}{% assign s = s | append: s | upcase %}{% endfor %}',
    ])
      expect(failure(body)?.code, body).toBe('LIQUID_LIMIT');
  });

  it('leaves ordinary captures and filters alone', () => {
    expect(failure('{% capture s %}Dear {{ name | upcase | append: "!" }}{% endcapture %}{{ s }}')).toBeUndefined();
    const r = compileLiquid(small, '{% capture s %}Dear {{ name | append: "!" }}{% endcapture %}<text>{{ s }}</text>', {
      fileText: '',
      bodyOffset: 0,
    });
    expect(r.compiled!.render({ name: 'Ana' }).output).toBe('<text>Dear Ana!</text>');
  });

  it('holds plain-text fragments (metadata) to the same limit', () => {
    const text = createEngine({ locale: 'en', mode: 'text', limits: { memoryLimit: 1_000_000 } });
    const f = compileFragment(text, '{% assign s = "x" %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}', {
      fileText: 'x',
      offset: 0,
      what: 'metadata.title',
    });
    expect(() => f.render!({})).toThrow(LiquidStageError);
  });
});
