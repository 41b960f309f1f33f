import { useEffect, useState } from 'preact/hooks';

/** Runs `load` whenever `key` changes; keeps the previous data while reloading (no flicker on the live tail). */
export function useApi(load, key) {
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data }),
      (error) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}
