/**
 * A dossier component's digitization state and reuse flags, derived from what is attached to it.
 * The national systems carry the flags under their own names (DuocSoHoa, DuocTaiSuDung,
 * DuocLayTuKhoDMQG, MaKetQuaThayThe; DOMAIN.md, "verify"): that mapping lives in one place,
 * shared/sync/portal-mapping.ts, and the rest of the code speaks English.
 */

/** Not digitized, digitized here, reused from another dossier's component, reused from a result. */
export const COMPONENT_STATES = ['not_digitized', 'digitized', 'reused_component', 'reused_result'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/** How a document came to a component: scanned for it, or reused without rescanning. */
export const ITEM_KINDS = ['scanned', 'reused_component', 'reused_result'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Where a reused document was found: this counter, SoHoa's central store, the national store. */
export const REUSE_SOURCES = ['local', 'central', 'national'] as const;
export type ReuseSourceKind = (typeof REUSE_SOURCES)[number];

export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export interface ComponentItemFacts {
  kind: ItemKind;
  source: ReuseSourceKind;
  /** Scanned items only; a rejected scan does not count until it is replaced. */
  approval: ApprovalState | null;
  /** For `reused_result`: the code of the result that replaces the paper. */
  resultCode: string | null;
}

export interface ComponentFlags {
  state: ComponentState;
  /** Has a file (scanned here or reused). */
  digitized: boolean;
  reused: boolean;
  fromNationalStore: boolean;
  replacingResultCode: string | null;
}

/**
 * The state and flags of a component from its items. Reuse wins over a scan (it is what the
 * scorecard counts), and reuse of a result wins over reuse of a component (it replaces the paper).
 */
export function componentFlags(items: readonly ComponentItemFacts[]): ComponentFlags {
  const live = items.filter((item) => item.approval !== 'rejected');
  const result = live.find((item) => item.kind === 'reused_result');
  const reusedComponent = live.some((item) => item.kind === 'reused_component');
  const scanned = live.some((item) => item.kind === 'scanned');
  const state: ComponentState = result
    ? 'reused_result'
    : reusedComponent
      ? 'reused_component'
      : scanned
        ? 'digitized'
        : 'not_digitized';
  return {
    state,
    digitized: state !== 'not_digitized',
    reused: state === 'reused_component' || state === 'reused_result',
    fromNationalStore: live.some((item) => item.kind !== 'scanned' && item.source === 'national'),
    replacingResultCode: result?.resultCode ?? null,
  };
}

/** KenhThucHien: how the dossier was submitted. */
export const SUBMISSION_CHANNELS = { direct: 1, online: 2, postal: 3 } as const;
export type SubmissionChannel = (typeof SUBMISSION_CHANNELS)[keyof typeof SUBMISSION_CHANNELS];
