/**
 * The MTTR-per-month bar chart as data. Pure: the command renders it (terminal only).
 *
 * A month without a resolved incident has no MTTR. It is a gap — no bar, `—` — never a zero bar,
 * which would read as "resolved instantly"; and it takes no part in the scale. A month whose
 * incidents really were resolved in 0 minutes keeps its value (0) and is told apart by its label.
 */
import type { MonthReport } from './formulas.js';

/** Eighth blocks, so a bar's length is accurate to 1/8 of a cell. */
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const FULL = '█';

export interface MttrBar {
  month: string;
  incidents: number;
  /** Mean MTTR in minutes; null: no incident of the month was resolved (a gap). */
  minutes: number | null;
  /** The bar, `width` cells at most; '' for a gap. */
  bar: string;
  /** Why there is no bar: no incidents at all, or incidents but none resolved. */
  gap: 'no-incidents' | 'none-resolved' | null;
}

export interface MttrChart {
  bars: MttrBar[];
  /** The longest mean among months with data (the full-width bar); null when no month has data. */
  max: number | null;
  /** Months with a resolved incident, of `bars.length`. */
  monthsWithData: number;
}

export function mttrChart(
  months: readonly Pick<MonthReport, 'month' | 'incidents' | 'mttrMean'>[],
  width: number,
): MttrChart {
  const values = months.flatMap((m) => (m.mttrMean === null ? [] : [m.mttrMean]));
  const max = values.length ? Math.max(...values) : null;
  const bars = months.map((m): MttrBar => {
    if (m.mttrMean === null) {
      return {
        month: m.month,
        incidents: m.incidents,
        minutes: null,
        bar: '',
        gap: m.incidents === 0 ? 'no-incidents' : 'none-resolved',
      };
    }
    return {
      month: m.month,
      incidents: m.incidents,
      minutes: m.mttrMean,
      bar: bar(m.mttrMean, max!, width),
      gap: null,
    };
  });
  return { bars, max, monthsWithData: values.length };
}

/** `value` of `max` over `width` cells; a positive value always shows at least a sliver. */
function bar(value: number, max: number, width: number): string {
  if (value <= 0 || max <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return FULL.repeat(Math.floor(eighths / 8)) + PARTIAL[eighths % 8]!;
}
