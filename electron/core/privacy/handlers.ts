import type { privacyCalls } from '../../../shared/api/calls/privacy';
import { AppFailure } from '../../../shared/api/errors';
import { recordProcessing } from '../audit/processing-log';
import { readProcessorSettings, updateProcessorSettings } from '../config/unit-settings';
import { nowIso } from '../db/database';
import type { CallContext, HandlerGroup } from '../dispatch';
import type { PdfExports } from '../pdf/pdf-exports';
import type { Services } from '../services';
import { citizenPdf, citizenZip, deleteCitizenData, holdings, requestBasis, type Actor } from './citizen-data';
import { closeRequest, createRequest, getRequest, listRequests, openRequestOf } from './citizen-requests';
import { purgeReport, type Purger } from './purge';

function actorOf(ctx: CallContext): Actor {
  return { userId: ctx.user?.id ?? null, username: ctx.user?.username ?? '?' };
}

export function privacyHandlers(
  { db, store }: Services,
  exports: PdfExports,
  purger: Purger,
): HandlerGroup<typeof privacyCalls> {
  const deps = { db, store, exports };
  return {
    'privacy.processorSettings': () => readProcessorSettings(db),
    'privacy.setProcessor': (input) => updateProcessorSettings(db, input),
    'privacy.purgeNow': (_input, ctx) => purger.run(actorOf(ctx)),
    'privacy.purgeReport': (input) => purgeReport(db, input),
    'privacy.listRequests': (input) => listRequests(db, input.status),
    'privacy.createRequest': (input, ctx) => createRequest(db, input, actorOf(ctx).username),
    'privacy.closeRequest': (input, ctx) => closeRequest(db, input, actorOf(ctx).username),
    'privacy.holdings': (input, ctx) => {
      const request = getRequest(db, input.requestId);
      const held = holdings(db, request.citizenId);
      db.transaction(() =>
        recordProcessing(db, {
          ...actorOf(ctx),
          action: 'view',
          subject: `citizen:${request.citizenId}`,
          citizenId: request.citizenId,
          legalBasis: requestBasis(request),
        }),
      ).immediate();
      return held;
    },
    'privacy.exportCitizen': async (input, ctx) => {
      const request = openRequestOf(db, input.requestId, ['access']);
      if (input.format === 'zip') {
        const zip = await citizenZip(deps, request, actorOf(ctx));
        return exports.offerFile(zip.fileName, 'application/zip', zip.bytes, zip.pageCount);
      }
      const pdf = await citizenPdf(deps, request, actorOf(ctx));
      return exports.offerPdf(pdf.fileName, pdf.bytes, pdf.pageCount);
    },
    'privacy.restrict': (input, ctx) => {
      const request = openRequestOf(db, input.requestId, ['restriction']);
      const actor = actorOf(ctx);
      db.transaction(() => {
        db.prepare(
          `INSERT INTO citizen_restrictions (citizen_id, request_id, since, by_user) VALUES (?, ?, ?, ?)
           ON CONFLICT (citizen_id) DO NOTHING`,
        ).run(request.citizenId, request.id, nowIso(), actor.username);
        recordProcessing(db, {
          ...actor,
          action: 'update',
          subject: `restriction:${request.citizenId}`,
          citizenId: request.citizenId,
          legalBasis: requestBasis(request),
        });
      }).immediate();
      return getRequest(db, request.id);
    },
    'privacy.liftRestriction': (input, ctx) => {
      const request = getRequest(db, input.requestId);
      if (request.kind !== 'restriction' || !request.restricted)
        throw new AppFailure(
          'CONFLICT',
          'Dữ liệu của công dân này hiện không bị hạn chế.',
          "This citizen's data is not restricted.",
        );
      const actor = actorOf(ctx);
      db.transaction(() => {
        db.prepare('DELETE FROM citizen_restrictions WHERE citizen_id = ?').run(request.citizenId);
        recordProcessing(db, {
          ...actor,
          action: 'update',
          subject: `restriction-lifted:${request.citizenId}`,
          citizenId: request.citizenId,
          legalBasis: requestBasis(request),
        });
      }).immediate();
      return getRequest(db, request.id);
    },
    'privacy.deleteCitizenData': async (input, ctx) => {
      const request = openRequestOf(db, input.requestId, ['deletion']);
      try {
        const outcome = deleteCitizenData(db, request, actorOf(ctx));
        await purger.run(actorOf(ctx));
        return outcome;
      } catch (error) {
        // A refusal under the duty to keep case files closes the request with that reason.
        if (error instanceof AppFailure && error.appError.code === 'CONFLICT')
          closeRequest(
            db,
            { id: request.id, status: 'refused', outcome: error.appError.message },
            actorOf(ctx).username,
          );
        throw error;
      }
    },
  };
}
