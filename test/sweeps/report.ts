// The bad-input sweep's report as text: counts per class, then every crash and hang (by op
// and cause), unclear errors by message, and returned values whose data does not match
// their size.
import { CLASSES, type CaseResult, type SweepReport } from './sweep';

/** Crashes and hangs: the test fails on these. */
export function crashesAndHangs(report: SweepReport): CaseResult[] {
  return report.results.filter((r) => r.cls === 'crash' || r.cls === 'hang');
}

/** Errors the JavaScript engine raised inside Tessera (or non-Error throws): the test fails on these too. */
export function unclearErrors(report: SweepReport): CaseResult[] {
  return report.results.filter((r) => r.cls === 'unclear error');
}

/** Baseline (valid) calls that did not return a value: their mutations start from a broken call. */
export function failedBaselines(report: SweepReport): CaseResult[] {
  return report.results.filter((r) => r.baseline && r.cls !== 'returned' && !report.plan.generic.includes(r.op));
}

// "Cannot read properties of null (reading 'strides')" and its siblings, without the names.
const messageShape = (detail: string) =>
  detail
    .replace(/^[A-Za-z]*Error: /, '')
    .replace(/'[^']*'|\d+/g, '…')
    .slice(0, 90);

export function formatReport(report: SweepReport): string {
  const { plan, results, counts } = report;
  const lines: string[] = [];
  const ops = plan.withBaseline.length + plan.generic.length;
  lines.push(`bad-input sweep: ${results.length} cases over ${ops} public functions in ${report.seconds.toFixed(1)} s`);
  lines.push(`  ${CLASSES.map((k) => `${k}: ${counts[k]}`).join(', ')}`);
  if (plan.generic.length) lines.push(`  swept from a generic call (add a valid one to op_baselines.ts): ${plan.generic.join(', ')}`);
  lines.push(
    `  not swept: ${plan.excluded.join(', ') || 'none'}; aliases: ${
      Object.entries(plan.aliases)
        .map(([a, b]) => `${a} = ${b}`)
        .join(', ') || 'none'
    }`,
  );

  const failures = crashesAndHangs(report);
  if (failures.length) {
    lines.push('', `crashes and hangs (${failures.length}), by op and cause:`);
    const groups = new Map<string, CaseResult[]>();
    for (const r of failures) {
      const cause = `${r.op}: ${r.cls} ${r.detail.split(':')[0]}`;
      groups.set(cause, [...(groups.get(cause) ?? []), r]);
    }
    for (const [cause, rs] of groups) {
      lines.push(`  ${cause} (${rs.length})`);
      for (const r of rs) {
        lines.push(`    ${r.id}`);
        lines.push(`      ${r.detail.slice(0, 240)}`);
      }
    }
  }

  const unclear = unclearErrors(report);
  if (unclear.length) {
    lines.push('', `unclear errors (${unclear.length}), by message:`);
    const byMessage = new Map<string, CaseResult[]>();
    for (const r of unclear) byMessage.set(messageShape(r.detail), [...(byMessage.get(messageShape(r.detail)) ?? []), r]);
    for (const [message, rs] of [...byMessage].sort((a, b) => b[1].length - a[1].length)) {
      const ops = [...new Set(rs.map((r) => r.op))];
      lines.push(`  ${rs.length} x ${message}  [${ops.slice(0, 8).join(', ')}${ops.length > 8 ? `, +${ops.length - 8}` : ''}]  e.g. ${rs[0].id}`);
    }
  }

  const inconsistent = results.filter((r) => r.cls === 'returned' && r.detail.includes('INCONSISTENT'));
  if (inconsistent.length) {
    lines.push('', `returned tensors whose data does not match their size (${inconsistent.length}):`);
    for (const r of inconsistent) lines.push(`  ${r.id}: ${r.detail}`);
  }
  const baselines = failedBaselines(report);
  if (baselines.length) {
    lines.push('', `valid calls that failed (fix op_baselines.ts) (${baselines.length}):`);
    for (const r of baselines) lines.push(`  ${r.id}: ${r.cls}: ${r.detail}`);
  }
  return lines.join('\n');
}
