import { Type, type Static } from '@sinclair/typebox';

/**
 * The inventory a collector takes of its host (and of the containers running on it): the contract between the
 * collector and the vulnerability detector. A raw event of kind `inventory` (subject `hids.raw.<agent>.inventory`,
 * location `syscollector`) carries one in `payload.inventory`.
 *
 * - `type: 'full'`: every package installed; sent on start and every `collector.inventory.intervalHours`.
 * - `type: 'delta'`: what changed since the last inventory sent for the same scope (and container): `packages`
 *   installed or upgraded (with their new version), `removed` the packages gone (with the version they had).
 * - Big inventories are split into `parts` events of at most `collector.inventory.maxPackagesPerEvent` packages
 *   (removed ones count too), numbered `part` 1..parts and sharing `inventoryId`; `os` and `container` are repeated
 *   in every part. A full inventory is complete once all its parts arrived; a consumer that misses a part should
 *   wait for the next full one.
 */
export const InventoryPackage = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    version: Type.String({ minLength: 1, description: 'As the package manager writes it: dpkg [epoch:]upstream[-revision], rpm [epoch:]version-release, apk version' }),
    arch: Type.Optional(Type.String({ minLength: 1 })),
    source: Type.Optional(Type.String({ minLength: 1, description: "The source package: dpkg's Source, rpm's source RPM name without its version, apk's origin; only when known" })),
    sourceVersion: Type.Optional(Type.String({ minLength: 1, description: "The source package's version, when it differs from version (dpkg: Source: name (version))" })),
  },
  { additionalProperties: false },
);
export type InventoryPackage = Static<typeof InventoryPackage>;

export const InventoryOs = Type.Object(
  {
    id: Type.String({ minLength: 1, description: "os-release ID: debian, ubuntu, rhel, alpine, ... ('unknown' without os-release)" }),
    versionId: Type.Optional(Type.String({ description: 'os-release VERSION_ID: 12, 22.04, 3.19.1' })),
    codename: Type.Optional(Type.String({ description: 'os-release VERSION_CODENAME: bookworm, jammy' })),
    name: Type.Optional(Type.String({ description: 'os-release PRETTY_NAME, else NAME' })),
    kernel: Type.Optional(Type.String({ description: 'uname release of the host (absent for containers, which share the node kernel)' })),
  },
  { additionalProperties: false },
);
export type InventoryOs = Static<typeof InventoryOs>;

export const InventoryContainer = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'Container id (64 hex digits)' }),
    image: Type.Optional(Type.String()),
    imageDigest: Type.Optional(Type.String()),
    pod: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type InventoryContainer = Static<typeof InventoryContainer>;

export const PackageFormat = Type.Union([Type.Literal('deb'), Type.Literal('rpm'), Type.Literal('apk')]);
export type PackageFormat = Static<typeof PackageFormat>;

export const Inventory = Type.Object(
  {
    scope: Type.Union([Type.Literal('host'), Type.Literal('container')]),
    type: Type.Union([Type.Literal('full'), Type.Literal('delta')]),
    collectedAt: Type.String({ format: 'date-time' }),
    os: InventoryOs,
    container: Type.Optional(InventoryContainer),
    format: PackageFormat,
    packages: Type.Array(InventoryPackage, { description: 'full: every package (of this part); delta: the installed or upgraded ones' }),
    removed: Type.Optional(Type.Array(InventoryPackage, { description: 'delta only: packages no longer installed' })),
    inventoryId: Type.Optional(Type.String({ minLength: 1, description: 'Shared by the parts of one inventory (the collector always sets it)' })),
    part: Type.Optional(Type.Integer({ minimum: 1, description: '1..parts (the collector always sets it)' })),
    parts: Type.Optional(Type.Integer({ minimum: 1, description: 'How many events this inventory was split into (the collector always sets it)' })),
  },
  { additionalProperties: false, $id: 'https://vigil.dev/schemas/inventory.json', title: 'Vigil inventory (payload.inventory of a raw event of kind inventory)' },
);
export type Inventory = Static<typeof Inventory>;
