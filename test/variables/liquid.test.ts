import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from '../../variables/analyzer';
import { analysisEngine } from '../../variables/analyzer/parse';
import { catalogue } from '../../variables/catalogue';
import { LIQUID_DIALECT, liquidProblems } from '../../variables/liquid';
import { compileLiquid, createEngine } from '../../templates/liquid/engine';

const engine = createEngine({ locale: 'en', mode: 'markup' });

/** The first problem the analyzer (editor, save check) and the render engine (compile) find in a body. */
function bothPaths(body: string) {
  const analyzed = analyzeTemplate({ body, bodyStart: { line: 1, column: 1 }, schema: catalogue })[0];
  const compiled = compileLiquid(engine, body, { fileText: body, bodyOffset: 0 }).diagnostics[0];
  return { analyzed, compiled };
}

describe('the Liquid dialect', () => {
  it('is the one both parsers start from', () => {
    for (const [name, value] of Object.entries(LIQUID_DIALECT)) {
      // liquidjs turns `cache: false` into no cache at all.
      if (name === 'cache') {
        expect([engine.options.cache, analysisEngine().options.cache]).toEqual([undefined, undefined]);
        continue;
      }
      expect((engine.options as unknown as Record<string, unknown>)[name], name).toEqual(value);
      expect((analysisEngine().options as unknown as Record<string, unknown>)[name], name).toEqual(value);
    }
    // Where they differ, on purpose: the engine refuses unknown filters, the analyzer reports them one by one.
    expect([engine.options.strictFilters, analysisEngine().options.strictFilters]).toEqual([true, false]);
  });
});

describe('the one translator of Liquid errors', () => {
  it('rewords a Liquid syntax error the same in the analyzer and the render engine, at the same place', () => {
    const cases: [string, string, string][] = [
      ['x {% if learner.email %}y', 'LIQUID_SYNTAX', '{% if learner.email %} is never closed: add {% endif %}.'],
      ['{{ learner.fullname ', 'LIQUID_SYNTAX', 'The output "{{ learner.fullname " is not closed: add }}.'],
      ['a\n{% iff x %}', 'TAG_UNKNOWN', 'Unknown tag "iff". Did you mean "if"?'],
      ['{% endif %}', 'LIQUID_SYNTAX', '{% endif %} does not belong to any open block here.'],
    ];
    for (const [body, code, message] of cases) {
      const { analyzed, compiled } = bothPaths(body);
      expect(analyzed, body).toMatchObject({ stage: 'analyze', code, message });
      expect(compiled, body).toMatchObject({ stage: 'liquid', code, message });
      expect(compiled!.range, body).toEqual(analyzed!.range);
    }
  });

  it('gives every error when liquidjs collects them all, and places none it cannot', () => {
    const all = new Liquid({ ...LIQUID_DIALECT, catchAllErrors: true });
    let thrown: unknown;
    try {
      all.parse('{% iff %}{% endfor %}');
    } catch (e) {
      thrown = e;
    }
    const problems = liquidProblems(thrown, '{% iff %}{% endfor %}', 'parse', Object.keys(all.tags));
    expect(problems.map((p) => [p.code, p.begin, p.end])).toEqual([
      ['TAG_UNKNOWN', 0, 9],
      ['LIQUID_SYNTAX', 9, 21],
    ]);
    expect(liquidProblems(new Error('memory alloc limit exceeded'), '', 'render', [])).toEqual([
      {
        code: 'LIQUID_LIMIT',
        message: 'the template does too much work (memory alloc limit exceeded); check loops and ranges.',
        fr: 'le modèle demande trop de travail (memory alloc limit exceeded) ; vérifiez les boucles et les intervalles.',
      },
    ]);
    expect(liquidProblems(new Error('boom'), '', 'render', [])).toEqual([
      { code: 'LIQUID_RENDER', message: 'Boom.', fr: 'Erreur Liquid : boom.' },
    ]);
  });

  it('names an unknown filter the engine refused, with a suggestion', () => {
    const [d] = compileLiquid(engine, '{{ x | upcse }}', { fileText: '', bodyOffset: 0 }).diagnostics;
    expect(d).toMatchObject({ code: 'LIQUID_SYNTAX', message: 'Unknown filter "upcse". Did you mean "upcase"?' });
  });
});
