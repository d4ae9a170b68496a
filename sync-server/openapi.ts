import { z, type ZodType } from 'zod';
import {
  BlobPutResponse,
  DeviceInfo,
  EnrolRequest,
  EnrolResponse,
  HEADERS,
  HealthResponse,
  MissingBlobsRequest,
  MissingBlobsResponse,
  PullResponse,
  PushRequest,
  PushResponse,
  ReuseLookupRequest,
  ReuseLookupResponse,
  SyncErrorBody,
  SYNC_PROTOCOL_VERSION,
} from '../shared/sync/protocol';
import { DocumentRecord, DossierRecord, DossierStatusRecord } from '../shared/sync/records';

type Schema = Record<string, unknown>;

function schema(type: ZodType, io: 'input' | 'output'): Schema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Schema;
  return rest;
}

const json = (ref: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const errors = {
  '400': { description: 'Invalid request, or an unsupported protocol version (code PROTOCOL)', ...json('Error') },
  '401': { description: 'Not authenticated', ...json('Error') },
  '403': { description: 'Device revoked', ...json('Error') },
  '413': { description: 'Body too large', ...json('Error') },
  '429': { description: 'Rate limited (see Retry-After)', ...json('Error') },
  '503': { description: 'The store is unreachable; retry', ...json('Error') },
};
const sha256Parameter = {
  name: 'sha256',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-f0-9]{64}$' },
};
const device = [{ device: [] }];

/** The published API (`GET /openapi.json`): the schemas come from the same zod definitions the server checks. */
export function openApiDocument(): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'SoHoa sync server',
      version: SYNC_PROTOCOL_VERSION,
      description:
        `Central store that one-stop counters sync to. Every request to /v1 states the protocol version in ` +
        `the ${HEADERS.protocol} header (major.minor); a different major is refused with code PROTOCOL. ` +
        `Every response carries the server's version in the same header. Record shapes mirror the national ` +
        `portal's dossier fields (see the DossierRecord, DossierStatusRecord and DocumentRecord schemas).`,
    },
    components: {
      securitySchemes: {
        device: { type: 'http', scheme: 'bearer', description: '`<deviceId>.<secret>` from POST /v1/enrol' },
        admin: { type: 'http', scheme: 'bearer', description: 'The server’s admin token' },
      },
      parameters: {
        protocol: { name: HEADERS.protocol, in: 'header', required: true, schema: { type: 'string', example: '1.0' } },
      },
      schemas: {
        Error: schema(SyncErrorBody, 'output'),
        EnrolRequest: schema(EnrolRequest, 'input'),
        EnrolResponse: schema(EnrolResponse, 'output'),
        DeviceInfo: schema(DeviceInfo, 'output'),
        PushRequest: schema(PushRequest, 'input'),
        PushResponse: schema(PushResponse, 'output'),
        PullResponse: schema(PullResponse, 'output'),
        MissingBlobsRequest: schema(MissingBlobsRequest, 'input'),
        MissingBlobsResponse: schema(MissingBlobsResponse, 'output'),
        BlobPutResponse: schema(BlobPutResponse, 'output'),
        ReuseLookupRequest: schema(ReuseLookupRequest, 'input'),
        ReuseLookupResponse: schema(ReuseLookupResponse, 'output'),
        Health: schema(HealthResponse, 'output'),
        DossierRecord: schema(DossierRecord, 'input'),
        DossierStatusRecord: schema(DossierStatusRecord, 'input'),
        DocumentRecord: schema(DocumentRecord, 'input'),
      },
    },
    paths: {
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/v1/health': { get: { summary: 'Liveness', responses: { '200': { description: 'Up', ...json('Health') } } } },
      '/v1/enrol': {
        post: {
          summary: 'Exchange a one-time enrolment code for a device credential',
          parameters: [{ $ref: '#/components/parameters/protocol' }],
          requestBody: { required: true, ...json('EnrolRequest') },
          responses: {
            '201': { description: 'Enrolled; the secret is shown once', ...json('EnrolResponse') },
            ...errors,
          },
        },
      },
      '/v1/device': {
        get: {
          summary: 'The authenticated device',
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }],
          responses: { '200': { description: 'Device', ...json('DeviceInfo') }, ...errors },
        },
      },
      '/v1/changes': {
        post: {
          summary: 'Push outbox changes; each id is applied once and a repeat gets the first answer',
          description:
            'Record shapes for known kinds (entity.op): dossier.create / dossier.update → DossierRecord, ' +
            'dossier.status → DossierStatusRecord, document.create → DocumentRecord. Other kinds are kept as sent. ' +
            'A change whose files are not all on the server is answered missing-files and not stored.',
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }],
          requestBody: { required: true, ...json('PushRequest') },
          responses: { '200': { description: 'One result per change', ...json('PushResponse') }, ...errors },
        },
        get: {
          summary: 'Pull the change log after a cursor (what other devices in scope pushed)',
          security: device,
          parameters: [
            { $ref: '#/components/parameters/protocol' },
            { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'entities', in: 'query', schema: { type: 'string', example: 'document' } },
          ],
          responses: { '200': { description: 'Entries and the next cursor', ...json('PullResponse') }, ...errors },
        },
      },
      '/v1/blobs/missing': {
        post: {
          summary: 'Which files the server lacks, with the offset to resume each upload at',
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }],
          requestBody: { required: true, ...json('MissingBlobsRequest') },
          responses: { '200': { description: 'Missing files', ...json('MissingBlobsResponse') }, ...errors },
        },
      },
      '/v1/blobs/{sha256}': {
        head: {
          summary: `Upload state: 200 when complete; 404 with ${HEADERS.uploadOffset} (bytes held) otherwise`,
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }, sha256Parameter],
          responses: { '200': { description: 'Complete' }, '404': { description: 'Absent or partial' } },
        },
        put: {
          summary: 'Upload a range of the file (Content-Range: bytes START-END/TOTAL); the last range is verified',
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }, sha256Parameter],
          requestBody: { required: true, content: { 'application/octet-stream': {} } },
          responses: {
            '200': { description: 'Range stored (or the file was already complete)', ...json('BlobPutResponse') },
            '201': { description: 'File complete and verified', ...json('BlobPutResponse') },
            '409': { description: `START is not the offset held (see ${HEADERS.uploadOffset})`, ...json('Error') },
            '422': { description: 'The bytes do not hash to sha256; discarded', ...json('Error') },
            ...errors,
          },
        },
        get: {
          summary: 'Download a file a document in the device’s scope refers to (Range: bytes=N- resumes)',
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }, sha256Parameter],
          responses: { '200': { description: 'The file' }, '206': { description: 'The rest of it' }, ...errors },
        },
      },
      '/v1/reuse/lookup': {
        post: {
          summary: 'Documents held for a citizen (ID number in the body, never in a URL)',
          security: device,
          parameters: [{ $ref: '#/components/parameters/protocol' }],
          requestBody: { required: true, ...json('ReuseLookupRequest') },
          responses: { '200': { description: 'Documents', ...json('ReuseLookupResponse') }, ...errors },
        },
      },
      '/v1/admin/enrol-codes': {
        post: {
          summary: 'Create a one-time enrolment code for a unit',
          security: [{ admin: [] }],
          parameters: [{ $ref: '#/components/parameters/protocol' }],
          responses: { '201': { description: '{ code, expiresAt }' }, ...errors },
        },
      },
      '/v1/admin/devices/{deviceId}/revoke': {
        post: {
          summary: 'Revoke a device; its next request is refused',
          security: [{ admin: [] }],
          parameters: [
            { $ref: '#/components/parameters/protocol' },
            { name: 'deviceId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { '200': { description: '{ revoked }' }, ...errors },
        },
      },
    },
  };
}
