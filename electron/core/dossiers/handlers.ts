import type { dossierCalls } from '../../../shared/api/calls/dossiers';
import type { HandlerGroup } from '../dispatch';
import { listProcedures } from '../procedures/catalog';
import type { Services } from '../services';
import { createDossier, getDossierDetail, listDossiers } from './dossier-service';
import { actorOf } from './lifecycle';

export function dossierHandlers({ db }: Services): HandlerGroup<typeof dossierCalls> {
  return {
    'procedures.list': () => listProcedures(db),
    'dossiers.create': (input, ctx) => createDossier(db, input, { actor: actorOf(db, ctx) }),
    'dossiers.list': (input) => listDossiers(db, input.limit),
    'dossiers.get': (input) => getDossierDetail(db, input.id),
  };
}
