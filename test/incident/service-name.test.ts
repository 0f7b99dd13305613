/**
 * A service is named by one rule (src/incident/model.ts): ir.yaml's `slos[].service`, an OpenSLO
 * document's `spec.service` and `--service` must accept exactly the same names.
 */
import { describe, expect, it } from 'vitest';
import { schemas } from '../../src/config/schema.js';
import { isServiceName } from '../../src/incident/model.js';
import { parseSloFile, readSloDocuments } from '../../src/slo/documents.js';

const NAMES = ['api', 'API', 'api.v2', 'pay_ments-2', '9lives', '-api', '.api', 'api/x', 'api x', 'café', '', 'api\n'];

const openSlo = (service: string) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: fallback
spec:
  service: ${JSON.stringify(service)}
  indicator:
    metadata:
      name: errors
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            spec:
              query: good_total
        total:
          metricSource:
            spec:
              query: all_total
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`;

describe('the service-name rule', () => {
  it('ir.yaml, OpenSLO files and --service agree on every name', () => {
    const { config } = schemas();
    for (const name of NAMES) {
      const accepted = isServiceName(name);
      expect(config.safeParse({ slos: [{ service: name, objective: 99.9 }] }).success, name).toBe(accepted);
      const { docs, problems } = parseSloFile(openSlo(name), 'slo.yaml');
      expect(problems).toEqual([]);
      const read = readSloDocuments(docs);
      expect(read.problems).toEqual([]);
      expect(
        read.slos.map((s) => s.slo.service),
        name,
      ).toEqual([accepted ? name : 'fallback']);
    }
  });

  it('ir.yaml names the accepted forms as --service does', () => {
    const r = schemas().config.safeParse({ slos: [{ service: 'api/x', objective: 99.9 }] });
    expect(JSON.stringify(r.error?.issues)).toContain(
      'expected a service name of letters, digits, \\".\\", \\"_\\" or \\"-\\"',
    );
  });
});
