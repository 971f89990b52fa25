import { css, html, LitElement, svg } from 'lit';
import { getLocale } from '../i18n';

export interface BarPoint {
  /** What the bar stands for, shown under it and read by screen readers ("9 Mar"). */
  label: string;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 28, left: 40 };

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value (and 1). */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * `<attest-bar-chart>`: one series as bars in SVG, with its numbers as a table for screen readers (and
 * for copying). A few dozen lines instead of a chart library: the dashboard draws at most a few hundred
 * bars per chart, needs no zoom or animation, and SVG is text a test (and assistive technology) can read,
 * where a canvas library would weigh some 200 KB and show nothing but pixels.
 *
 * `label` names the chart (its accessible name), `points` the bars in order, `color` their fill.
 */
export class BarChart extends LitElement {
  static override properties = {
    label: { type: String },
    points: { attribute: false },
    color: { type: String },
    valueHeader: { type: String, attribute: 'value-header' },
    labelHeader: { type: String, attribute: 'label-header' },
  };
  declare label: string;
  declare points: readonly BarPoint[];
  declare color: string;
  declare valueHeader: string;
  declare labelHeader: string;

  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: auto;
      display: block;
    }
    .axis {
      stroke: #aab2bb;
    }
    .grid {
      stroke: #e6e8eb;
    }
    text {
      font:
        11px system-ui,
        sans-serif;
      fill: #444;
    }
    /* A div, not the table itself: a table is never narrower than its content, so it would stick out. */
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `;

  constructor() {
    super();
    this.label = '';
    this.points = [];
    this.color = '#1a5fb4';
    this.valueHeader = '';
    this.labelHeader = '';
  }

  protected override render(): unknown {
    const points = this.points;
    const number = new Intl.NumberFormat(getLocale());
    const top = niceMax(Math.max(0, ...points.map((p) => p.value)));
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const slot = plotW / Math.max(points.length, 1);
    const bar = Math.max(1, Math.min(slot * 0.7, 40));
    const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
    // Labels under at most ~8 bars, so they never overlap: every n-th one, the last always.
    const every = Math.max(1, Math.ceil(points.length / 8));
    return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${this.label} data-bars=${points.length}>
        ${[0, top / 2, top].map(
          (v) =>
            svg`<line class=${v === 0 ? 'axis' : 'grid'} x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${y(v)} y2=${y(v)}></line>
            <text x=${PAD.left - 4} y=${y(v) + 4} text-anchor="end">${number.format(v)}</text>`,
        )}
        ${points.map((p, i) => {
          const x = PAD.left + i * slot + (slot - bar) / 2;
          const h = (p.value / top) * plotH;
          return svg`<rect class="bar" x=${x} y=${y(p.value)} width=${bar} height=${h} fill=${this.color} data-value=${p.value}>
              <title>${p.label}: ${number.format(p.value)}</title>
            </rect>
            ${i % every === 0 || i === points.length - 1 ? svg`<text x=${x + bar / 2} y=${HEIGHT - 10} text-anchor="middle">${p.label}</text>` : ''}`;
        })}
      </svg>
      <div class="visually-hidden">
        <table>
          <caption>
            ${this.label}
          </caption>
          <thead>
            <tr>
              <th scope="col">${this.labelHeader}</th>
              <th scope="col">${this.valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            ${points.map(
              (p) =>
                html`<tr>
                  <th scope="row">${p.label}</th>
                  <td>${number.format(p.value)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}
customElements.define('attest-bar-chart', BarChart);

declare global {
  interface HTMLElementTagNameMap {
    'attest-bar-chart': BarChart;
  }
}
