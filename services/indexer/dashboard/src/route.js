import { useEffect, useState } from 'preact/hooks';

/** The page and its filters live in the URL's hash: `#/events?level=7&agent=web01`, so every view is a link. */
export function parseRoute(hash = location.hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = (path || '/events').split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? 'events', arg: parts[1], params: Object.fromEntries(new URLSearchParams(query)) };
}

export function href(page, params = {}, arg) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  return `#/${page}${arg !== undefined ? `/${encodeURIComponent(arg)}` : ''}${query.size ? `?${query}` : ''}`;
}

export function useRoute() {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const onChange = () => setRoute(parseRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
