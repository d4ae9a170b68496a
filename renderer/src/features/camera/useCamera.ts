import { useCallback, useEffect, useRef, useState } from 'react';

export type CameraProblem = 'noCamera' | 'denied' | 'busy' | 'unsupported' | 'failed';

export interface CameraState {
  phase: 'starting' | 'live' | 'error';
  problem: CameraProblem | null;
  devices: MediaDeviceInfo[];
  deviceId: string | null;
  /** What the camera actually delivers. */
  resolution: { width: number; height: number } | null;
}

const REMEMBERED = 'sohoa.camera.deviceId';

function remembered(): string | null {
  try {
    return localStorage.getItem(REMEMBERED);
  } catch {
    return null;
  }
}

function remember(deviceId: string): void {
  try {
    localStorage.setItem(REMEMBERED, deviceId);
  } catch {
    // Private mode or a full store: the choice is simply not kept.
  }
}

/** getUserMedia's refusals, by the DOMException names browsers use. */
export function problemOf(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'noCamera';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy';
  return 'failed';
}

/**
 * The live camera for the preview: the remembered device (or the first), at the highest resolution
 * it offers (asked for generously, then raised to the track's reported maximum). Stops the stream
 * when the component goes away or another camera is picked.
 */
export function useCamera() {
  const videoRef = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [attempt, setAttempt] = useState(0);
  // The camera asked for (the clerk's pick, or the remembered one), apart from the one that opened:
  // with nothing asked for, the camera that opens is shown as chosen without opening it again.
  const [wanted, setWanted] = useState<string | null>(remembered);
  const [state, setState] = useState<CameraState>({
    phase: 'starting',
    problem: null,
    devices: [],
    deviceId: wanted,
    resolution: null,
  });

  useEffect(() => {
    let cancelled = false;
    const stop = () => {
      for (const track of stream.current?.getTracks() ?? []) track.stop();
      stream.current = null;
    };
    async function start() {
      const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
      if (!media?.getUserMedia) {
        setState((s) => ({ ...s, phase: 'error', problem: 'unsupported' }));
        return;
      }
      setState((s) => ({ ...s, phase: 'starting', problem: null }));
      try {
        const video: MediaTrackConstraints = { width: { ideal: 4096 }, height: { ideal: 4096 } };
        let opened: MediaStream;
        try {
          opened = await media.getUserMedia({
            video: wanted ? { ...video, deviceId: { exact: wanted } } : video,
            audio: false,
          });
        } catch (error) {
          // The remembered camera is gone (unplugged): take any other.
          if (!wanted || problemOf(error) !== 'noCamera') throw error;
          opened = await media.getUserMedia({ video, audio: false });
        }
        if (cancelled) {
          for (const track of opened.getTracks()) track.stop();
          return;
        }
        stream.current = opened;
        const track = opened.getVideoTracks()[0];
        const caps = track?.getCapabilities?.();
        if (track && caps?.width?.max && caps.height?.max) {
          await track.applyConstraints({ width: caps.width.max, height: caps.height.max }).catch(() => undefined);
        }
        // Labels are only given once the camera is allowed: list the devices now.
        const devices = (await media.enumerateDevices()).filter((d) => d.kind === 'videoinput');
        const settings = track?.getSettings();
        const element = videoRef.current;
        if (element) {
          element.srcObject = opened;
          await element.play().catch(() => undefined);
        }
        if (cancelled) return;
        setState({
          phase: 'live',
          problem: null,
          devices,
          deviceId: settings?.deviceId ?? wanted,
          resolution:
            settings?.width && settings.height
              ? { width: settings.width, height: settings.height }
              : element?.videoWidth
                ? { width: element.videoWidth, height: element.videoHeight }
                : null,
        });
      } catch (error) {
        if (!cancelled) setState((s) => ({ ...s, phase: 'error', problem: problemOf(error) }));
      }
    }
    void start();
    return () => {
      cancelled = true;
      stop();
    };
  }, [wanted, attempt]);

  const pickDevice = useCallback((deviceId: string) => {
    remember(deviceId);
    setWanted(deviceId);
    setState((s) => ({ ...s, deviceId }));
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  /** The current frame at the stream's full resolution, as a JPEG. */
  const grabFrame = useCallback(async (): Promise<{ blob: Blob; width: number; height: number } | null> => {
    const element = videoRef.current;
    if (!element || element.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = element.videoWidth;
    canvas.height = element.videoHeight;
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(element, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    return blob ? { blob, width: canvas.width, height: canvas.height } : null;
  }, []);

  return { videoRef, state, pickDevice, retry, grabFrame };
}
