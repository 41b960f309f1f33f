/** Wazuh's static decoded fields, in the order Wazuh prints them in an alert's `data`. */
export const STATIC_FIELDS = [
  'protocol', 'action', 'srcip', 'srcport', 'srcuser', 'dstip', 'dstport', 'dstuser', 'id', 'status', 'url', 'data',
  'extra_data', 'system_name',
] as const;
export type StaticField = (typeof STATIC_FIELDS)[number];
