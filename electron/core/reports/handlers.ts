import type { reportCalls } from '../../../shared/api/calls/reports';
import type { Scorecard } from '../../../shared/domain/scorecard';
import type { HandlerGroup } from '../dispatch';
import type { Services } from '../services';
import { computeIndicators, missingItems } from './indicators';
import { postalWorkload } from './postal-workload';

export function reportHandlers({ db }: Services, scorecard: Scorecard): HandlerGroup<typeof reportCalls> {
  return {
    'reports.indicators': (input) => computeIndicators(db, scorecard, input),
    'reports.missing': (input) => missingItems(db, input),
    'reports.postalWorkload': (input) => postalWorkload(db, input),
  };
}
