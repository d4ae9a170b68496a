import { describe, expect, it } from 'vitest';
import { componentFlags, type ComponentItemFacts } from '../../../shared/domain/component-state';

const scan = (approval: ComponentItemFacts['approval'] = 'pending'): ComponentItemFacts => ({
  kind: 'scanned',
  source: 'local',
  approval,
  resultCode: null,
});
const reusedComponent = (source: ComponentItemFacts['source'] = 'local'): ComponentItemFacts => ({
  kind: 'reused_component',
  source,
  approval: null,
  resultCode: null,
});
const reusedResult = (code: string): ComponentItemFacts => ({
  kind: 'reused_result',
  source: 'local',
  approval: null,
  resultCode: code,
});

describe('component state and reuse flags', () => {
  it('is not digitized without items, or with only rejected scans', () => {
    for (const items of [[], [scan('rejected')]]) {
      expect(componentFlags(items)).toEqual({
        state: 'not_digitized',
        digitized: false,
        reused: false,
        fromNationalStore: false,
        replacingResultCode: null,
      });
    }
  });

  it('is digitized by a pending or approved scan', () => {
    expect(componentFlags([scan('pending')]).state).toBe('digitized');
    expect(componentFlags([scan('approved'), scan('rejected')])).toMatchObject({ digitized: true, reused: false });
  });

  it('counts reuse over a scan, and reuse of a result over reuse of a component', () => {
    expect(componentFlags([scan(), reusedComponent()])).toMatchObject({
      state: 'reused_component',
      digitized: true,
      reused: true,
      replacingResultCode: null,
    });
    expect(componentFlags([reusedComponent(), reusedResult('KQ.G15.000031')])).toMatchObject({
      state: 'reused_result',
      reused: true,
      replacingResultCode: 'KQ.G15.000031',
    });
  });

  it('flags what came from the national store', () => {
    expect(componentFlags([reusedComponent('national')]).fromNationalStore).toBe(true);
    expect(componentFlags([reusedComponent('central')]).fromNationalStore).toBe(false);
    expect(componentFlags([reusedComponent('local')]).fromNationalStore).toBe(false);
  });
});
