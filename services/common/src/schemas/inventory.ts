import { Type, type Static } from '@sinclair/typebox';

/**
 * The package inventory a collector publishes as a raw event of kind `inventory` (`payload.inventory`), on
 * `hids.raw.<agent>.inventory`: the host's packages or a container image's. A `full` inventory lists every
 * package; a `delta` lists those installed or upgraded in `packages` and those removed in `removed`. A large full
 * inventory may come in parts (`inventoryId`, `part` of `parts`).
 */
export const InventoryPackage = Type.Object({
  name: Type.String({ minLength: 1 }),
  version: Type.String({ minLength: 1 }),
  arch: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
  sourceVersion: Type.Optional(Type.String()),
});
export type InventoryPackage = Static<typeof InventoryPackage>;

export const Inventory = Type.Object({
  scope: Type.Union([Type.Literal('host'), Type.Literal('container')]),
  type: Type.Union([Type.Literal('full'), Type.Literal('delta')]),
  collectedAt: Type.String({ format: 'date-time' }),
  os: Type.Object({
    id: Type.String({ minLength: 1 }),
    versionId: Type.Optional(Type.String()),
    codename: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    kernel: Type.Optional(Type.String()),
  }),
  container: Type.Optional(
    Type.Object({
      id: Type.String({ minLength: 1 }),
      image: Type.Optional(Type.String()),
      imageDigest: Type.Optional(Type.String()),
      pod: Type.Optional(Type.String()),
      namespace: Type.Optional(Type.String()),
    }),
  ),
  packages: Type.Array(InventoryPackage),
  removed: Type.Optional(Type.Array(InventoryPackage)),
  format: Type.Union([Type.Literal('deb'), Type.Literal('rpm'), Type.Literal('apk')]),
  inventoryId: Type.Optional(Type.String()),
  part: Type.Optional(Type.Integer({ minimum: 1 })),
  parts: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type Inventory = Static<typeof Inventory>;
