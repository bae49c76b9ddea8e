import { useEffect, useEffectEvent, useState } from 'react';
import { type CompletenessPush, completenessPushSchema } from '../../server/completeness/schemas.ts';

export const COMPLETENESS_STREAM_URL = '/api/completeness/stream';
/** how long to wait before opening a new stream once the browser has given up on the old one */
const RECONNECT_MS = 5000;

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * Listens to the server-sent completeness stream and hands each valid `completeness` message to `onPush`.
 * The stream only carries changes, so `onOpen` runs each time it (re)opens, for the caller to catch up on
 * what changed while it was not listening. The browser retries a dropped stream by itself; when it gives up
 * (readyState CLOSED) a new one is opened.
 */
export function useCompletenessStream(
  onPush: (push: CompletenessPush) => void,
  onOpen: () => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlePush = useEffectEvent(onPush);
  const handleOpen = useEffectEvent(onOpen);

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      const stream = new EventSource(COMPLETENESS_STREAM_URL, { withCredentials: true });
      stream.onopen = () => {
        setStatus('live');
        handleOpen();
      };
      stream.onerror = () => {
        setStatus('reconnecting');
        if (stream.readyState === EventSource.CLOSED) retry = setTimeout(connect, RECONNECT_MS);
      };
      stream.addEventListener('completeness', (message) => {
        const parsed = completenessPushSchema.safeParse(parseJson(message.data));
        if (parsed.success) handlePush(parsed.data);
        else console.error('Ignored a completeness message that does not match the schema', parsed.error);
      });
      source = stream;
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, []);

  return status;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
