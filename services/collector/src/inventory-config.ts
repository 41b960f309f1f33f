import { Type, type Static } from '@sinclair/typebox';

/** The collector's `inventory` section: the host's OS and packages (Wazuh's syscollector), and its containers'. */
export const InventoryContainersConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        "Also inventory the containers running on this node, each through /proc/<pid>/root of its first process (a DaemonSet needs hostPID), one per image",
    }),
    procDir: Type.String({ default: '/proc', description: "The node's /proc" }),
    containerLogDir: Type.String({ default: '/var/log/containers', description: 'Where the kubelet links each container log as <pod>_<namespace>_<container>-<id>.log (names the pod)' }),
    podLogDir: Type.String({ default: '/var/log/pods', description: 'Where the kubelet keeps one <namespace>_<pod>_<uid> directory per pod' }),
    rescanSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86400, default: 60, description: 'How often /proc is listed for containers started since (a new image is inventoried at once)' }),
  },
  { additionalProperties: false, default: {} },
);

export const InventoryConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Send the inventory of this host (OS, kernel, installed packages) as events of kind inventory' }),
    hostRoot: Type.String({ default: '/', description: "Where the host's file system is: '/' on a host, the host mount (e.g. '/host') in a DaemonSet" }),
    intervalHours: Type.Number({ exclusiveMinimum: 0, maximum: 168, default: 12, description: 'Time between two full inventories (one is also sent on start); changes in between are sent as deltas' }),
    pollSeconds: Type.Number({
      exclusiveMinimum: 0,
      maximum: 86400,
      default: 30,
      description: "How often the package database's mtime is checked; a change is read once the file has stopped changing for one poll, and sent as a delta",
    }),
    maxPackagesPerEvent: Type.Integer({
      minimum: 1,
      maximum: 5000,
      default: 1000,
      description: 'Inventories with more packages are split into several events (part, parts, inventoryId), each far below the NATS max payload',
    }),
    rpmCommand: Type.String({ default: 'rpm', description: 'The rpm tool that reads an rpmdb (rpm -qa --dbpath); it must be in the collector image for RPM-based hosts' }),
    containers: InventoryContainersConfig,
  },
  { additionalProperties: false, default: {} },
);
export type InventoryConfig = Static<typeof InventoryConfig>;
