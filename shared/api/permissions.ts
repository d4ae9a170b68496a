/**
 * Roles and what each may do. Every call in the contract names the permission it needs in
 * CALL_PERMISSIONS (the compiler refuses a call without one); dispatch checks it, once.
 */
import type { CallName } from './contract';

export const ROLES = ['clerk', 'postal', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'dossiers.read',
  'dossiers.write',
  'pages.write',
  'search',
  'reuse',
  'export',
  'approve',
  'reports.read',
  /** Scanning workload per operator; a postal operator sees only their own rows. */
  'workload.read',
  'sync.run',
  'catalog.admin',
  'settings.admin',
  'users.admin',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `public`: allowed before sign-in (the sign-in itself, first-run set-up, the app's version). */
export type CallPermission = Permission | 'public' | 'signedIn';

const counterWork: Permission[] = [
  'dossiers.read',
  'dossiers.write',
  'pages.write',
  'search',
  'reuse',
  'export',
  'sync.run',
];

/** The permission table, written down in the README. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  clerk: counterWork,
  postal: [...counterWork, 'workload.read'],
  supervisor: ['dossiers.read', 'search', 'reuse', 'export', 'approve', 'reports.read', 'workload.read', 'audit.read'],
  admin: PERMISSIONS,
};

export function roleAllows(role: Role, permission: CallPermission): boolean {
  if (permission === 'public' || permission === 'signedIn') return true;
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLE_NAMES: Record<Role, { vi: string; en: string }> = {
  clerk: { vi: 'Cán bộ một cửa', en: 'Counter clerk' },
  postal: { vi: 'Nhân viên bưu điện', en: 'Postal operator' },
  supervisor: { vi: 'Lãnh đạo / giám sát', en: 'Supervisor' },
  admin: { vi: 'Quản trị viên', en: 'Administrator' },
};

export type CallPermissions = Record<CallName, CallPermission>;

/** What each call needs. A new call without an entry does not compile. */
export const CALL_PERMISSIONS: CallPermissions = {
  'app.info': 'public',
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.signIn': 'public',
  'vault.status': 'public',
  'vault.setUp': 'public',
  'vault.unlock': 'public',
  'vault.recover': 'public',
  'vault.keyInfo': 'settings.admin',
  'vault.changePassphrase': 'settings.admin',
  'vault.createRecoveryKey': 'settings.admin',
  'auth.signOut': 'signedIn',
  'users.list': 'users.admin',
  'users.create': 'users.admin',
  'audit.verify': 'audit.read',
  'ocr.status': 'signedIn',
  'procedures.list': 'dossiers.read',
  'procedures.import': 'catalog.admin',
  'procedures.versions': 'dossiers.read',
  'settings.unit': 'signedIn',
  'settings.updateUnit': 'settings.admin',
  'dossiers.create': 'dossiers.write',
  'dossiers.list': 'dossiers.read',
  'dossiers.get': 'dossiers.read',
  'dossiers.history': 'dossiers.read',
  'dossiers.recordResult': 'dossiers.write',
  'reports.indicators': 'reports.read',
  'reports.missing': 'reports.read',
  'reports.postalWorkload': 'workload.read',
  'reports.postalWorkloadCsv': 'workload.read',
  'reports.trend': 'reports.read',
  'reports.drillDown': 'reports.read',
  'reports.csv': 'reports.read',
  'reports.monthlyPdf': 'reports.read',
  'dossiers.markReturned': 'dossiers.write',
  'dossiers.applyIdCard': 'dossiers.write',
  'idCards.readFields': 'dossiers.read',
  'pages.import': 'pages.write',
  'camera.import': 'pages.write',
  'pages.get': 'dossiers.read',
  'pages.confirmBlank': 'pages.write',
  'pages.forceOcr': 'pages.write',
  'pages.editState': 'dossiers.read',
  'pages.move': 'pages.write',
  'pages.rotate': 'pages.write',
  'pages.delete': 'pages.write',
  'pages.undoDelete': 'pages.write',
  'pages.replace': 'pages.write',
  'pages.assign': 'pages.write',
  'documents.split': 'pages.write',
  'documents.merge': 'pages.write',
  'ocr.cancel': 'pages.write',
  'ocr.focus': 'pages.write',
  'ocr.retry': 'pages.write',
  'pages.ocrReview': 'dossiers.read',
  'pages.correctWord': 'pages.write',
  'ocr.setReviewThreshold': 'settings.admin',
  'ocr.settings': 'signedIn',
  'ocr.updateSettings': 'settings.admin',
  'tags.update': 'pages.write',
  'documentTypes.list': 'dossiers.read',
  'documents.setType': 'pages.write',
  'hotFolders.status': 'pages.write',
  'hotFolders.set': 'settings.admin',
  'hotFolders.setTarget': 'pages.write',
  'separators.pdf': 'pages.write',
  'batches.list': 'pages.write',
  'batches.update': 'pages.write',
  'batches.confirm': 'pages.write',
  'batches.reject': 'pages.write',
  'checklist.get': 'dossiers.read',
  'checklist.assign': 'dossiers.write',
  'checklist.unassign': 'dossiers.write',
  'checklist.reuse': 'reuse',
  'checklist.markMissing': 'dossiers.write',
  'checklist.clearMissing': 'dossiers.write',
  'checklist.setCopies': 'dossiers.write',
  'checklist.setValidity': 'dossiers.write',
  'reuse.lookup': 'reuse',
  'reuse.suggest': 'reuse',
  'search.query': 'search',
  'approval.list': 'dossiers.read',
  'approval.decide': 'approve',
  'exports.documentPdf': 'export',
  'exports.dossierPdf': 'export',
  'exports.dossierZip': 'export',
  'receipts.pdf': 'dossiers.write',
  'sync.status': 'signedIn',
  'sync.now': 'sync.run',
  'sync.enrol': 'settings.admin',
  'sync.fetchDocument': 'reuse',
  'privacy.processorSettings': 'signedIn',
  'privacy.setProcessor': 'settings.admin',
  'privacy.purgeNow': 'settings.admin',
  'privacy.purgeReport': 'workload.read',
  'privacy.listRequests': 'audit.read',
  'privacy.createRequest': 'audit.read',
  'privacy.closeRequest': 'audit.read',
  'privacy.holdings': 'audit.read',
  'privacy.exportCitizen': 'audit.read',
  'privacy.restrict': 'audit.read',
  'privacy.liftRestriction': 'audit.read',
  'privacy.deleteCitizenData': 'audit.read',
};
