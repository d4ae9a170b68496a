export { api, createApiClient, type ApiClient } from './client';
export { ApiError, toAppError } from './api-error';
export { useApiEvent, useCall, useDebouncedCallback, useLatest, type CallState } from './hooks';
