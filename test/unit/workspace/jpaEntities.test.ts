import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { JoinPair } from '../../../src/core/sql/types';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/jpa');
const name = qualifiedColumn;
const described = (joins: JoinPair[]): string[] => joins.map((j) => `${j.origin.file}:${j.origin.line} ${name(j.left)} -> ${name(j.right)} ${j.via}`);
const facts = (file: string) => extractFile(`jpa/${file}`, readFileSync(path.join(dir, file)), { dbtProjects: [] });

describe('JPA entities', () => {
  it("declares each @Entity's table and id column, as written or as Spring Boot names them", () => {
    assert.deepEqual(facts('Order.java').entities, [{ name: 'Order', table: { schema: 'sales', name: 'orders' }, idColumn: 'order_id', line: 8 }]);
    // a fully qualified annotation; the id field's name in snake_case
    assert.deepEqual(facts('Invoice.java').entities, [{ name: 'Invoice', table: { name: 'invoice' }, idColumn: 'invoice_id', line: 4 }]);
    // @Entity(name = …) names the table when no @Table does
    assert.deepEqual(facts('OrderLine.java').entities?.map((e) => e.table), [{ name: 'order_line' }]);
  });

  it('owns a foreign key for each @ManyToOne / @OneToOne field without mappedBy, naming the target class', () => {
    const f = facts('Order.java');
    assert.deepEqual(
      f.joins.map((j) => [j.origin.line, name(j.left), j.toEntity, j.right.column, j.via]),
      [
        [16, 'sales.orders.cust_ref', 'Customer', 'customer_code', 'orm-foreign-key'],
        // no @JoinColumn: <field>_id, the target's id
        [19, 'sales.orders.sales_channel_id', 'OrderChannel', '', 'orm-foreign-key'],
        [23, 'sales.orders.invoice_id', 'Invoice', '', 'orm-one-to-one'],
        // @ManyToMany with its @JoinTable: the join table's key to each side (a mappedBy side declares none)
        [35, 'sales.order_tags.order_id', undefined, 'order_id', 'orm-foreign-key'],
        [35, 'sales.order_tags.tag_id', 'Tag', '', 'orm-foreign-key'],
      ],
    );
  });

  it('declares a subclass entity with the class it extends, and a root mapped JOINED or TABLE_PER_CLASS', () => {
    assert.deepEqual(facts('Payment.java').entities?.map((e) => [e.name, e.inheritance, e.extends]), [['Payment', 'joined', undefined]]);
    assert.deepEqual(facts('CardPayment.java').entities?.map((e) => [e.name, e.idColumn, e.extends]), [['CardPayment', 'card_payment_id', 'Payment']]);
    // the key to the parent, kept only if the hierarchy is JOINED
    assert.deepEqual(
      facts('BankTransfer.java').joins.map((j) => [j.fromEntity, j.left.column, j.toEntity, j.right.column, j.joinedSubclass]),
      [['BankTransfer', '', 'Payment', '', true]],
    );
    const single = resolveOrmEntities(facts('BankTransfer.java').joins, [{ name: 'BankTransfer', table: { name: 'bank_transfer' }, extends: 'Payment', line: 1 }, { name: 'Payment', table: { name: 'payments' }, line: 1 }]);
    assert.deepEqual(single, [], 'no key to itself when the hierarchy is one table');
    const perClass = resolveOrmEntities(facts('VipCustomer.java').joins, [{ name: 'VipCustomer', table: { name: 'vip_customer' }, extends: 'Customer', line: 1 }, { name: 'Customer', table: { name: 'customers' }, inheritance: 'table-per-class', line: 1 }]);
    assert.deepEqual(perClass.map((j) => name(j.left)), ['vip_customer.account_manager_id'], 'TABLE_PER_CLASS: its own table');
  });

  it('owns a composite key for @JoinColumns: one pair per column, taken together', () => {
    const joins = facts('OrderLine.java').joins;
    assert.deepEqual(
      joins.map((j) => [j.origin.line, name(j.left), j.right.column, j.toEntity, j.keyColumns, j.condition?.line]),
      [
        [11, 'order_line.order_id', '', 'Order', undefined, undefined],
        [17, 'order_line.store_id', 'store_id', 'Till', 2, 17],
        [17, 'order_line.till_no', 'till_no', 'Till', 2, 17],
      ],
    );
  });

  it("places relationships on the tables other files' entities map, once the workspace is read (and from the cache)", async () => {
    const expected = [
      // JOINED: each subclass's table, its id a key to the root's (named by @PrimaryKeyJoinColumn, else as the root's)
      'src/BankTransfer.java:7 bank_transfer.payment_id -> sales.payments.payment_id orm-one-to-one',
      'src/CardPayment.java:9 sales.card_payments.card_payment_id -> sales.payments.payment_id orm-one-to-one',
      'src/CardPayment.java:12 sales.card_payments.issuer_id -> issuer.id orm-foreign-key',
      'src/Order.java:16 sales.orders.cust_ref -> sales.customers.customer_code orm-foreign-key',
      // declared nowhere: Spring Boot's default
      'src/Order.java:19 sales.orders.sales_channel_id -> order_channel.id orm-foreign-key',
      // the target's own id column
      'src/Order.java:23 sales.orders.invoice_id -> invoice.invoice_id orm-one-to-one',
      'src/Order.java:35 sales.order_tags.order_id -> sales.orders.order_id orm-foreign-key',
      'src/Order.java:35 sales.order_tags.tag_id -> tag.id orm-foreign-key',
      'src/OrderLine.java:11 order_line.order_id -> sales.orders.order_id orm-foreign-key',
      'src/OrderLine.java:17 order_line.store_id -> till.store_id orm-foreign-key',
      'src/OrderLine.java:17 order_line.till_no -> till.till_no orm-foreign-key',
      'src/Payment.java:15 sales.payments.order_id -> sales.orders.order_id orm-foreign-key',
      // single-table (JPA's default): a subclass is its root's rows, and so are its keys
      'src/Referral.java:11 referral.sponsor_id -> sales.customers.customer_id orm-foreign-key',
      'src/VipCustomer.java:11 sales.customers.account_manager_id -> employee.id orm-foreign-key',
    ];
    await coldAndWarm(dir, 'src', (snap, run) => {
      assert.deepEqual(described(snap.joins), expected, run);
    });
  });

  it('leaves pairs that name no entity as they are, and takes the first of two classes of one name', () => {
    const plain: JoinPair = { left: { table: { name: 'a' }, column: 'b_id' }, right: { table: { name: 'b' }, column: 'id' }, clause: 'on', origin: { kind: 'query' } };
    assert.equal(resolveOrmEntities([plain], [])[0], plain);
    const toB: JoinPair = { ...plain, right: { table: { name: 'B' }, column: '' }, toEntity: 'B', via: 'orm-foreign-key' };
    const resolved = resolveOrmEntities([toB], [
      { name: 'B', table: { schema: 's', name: 'bees' }, idColumn: 'bee_id', line: 1 },
      { name: 'B', table: { name: 'other' }, line: 1 },
    ]);
    assert.deepEqual(resolved[0]!.right, { table: { schema: 's', name: 'bees' }, column: 'bee_id' });
  });

  it("gives a @MappedSuperclass's id and keys to each entity extending it, on its table, in Java and Kotlin", () => {
    const files: Array<[string, string]> = [
      [
        'app/BaseEntity.java',
        [
          '@MappedSuperclass',
          'public abstract class BaseEntity {',
          '    @Id @GeneratedValue @Column(name = "entity_id") private Long id;',
          '    @ManyToOne(fetch = FetchType.LAZY) @JoinColumn(name = "created_by") private User createdBy;',
          '}',
        ].join('\n'),
      ],
      ['app/Order.java', '@Entity @Table(name = "orders", schema = "sales")\npublic class Order extends BaseEntity {\n    @ManyToOne private Customer customer;\n}'],
      ['app/Payment.java', '@Entity @Table(name = "payments")\npublic class Payment extends BaseEntity { }\n@Entity class CardPayment extends Payment { }'],
      ['app/OrderLine.java', '@Entity @Table(name = "order_lines")\npublic class OrderLine {\n    @Id private Long id;\n    @ManyToOne @JoinColumn(name = "order_id") private Order order;\n}'],
      ['app/User.java', '@Entity @Table(name = "users")\npublic class User { @Id @Column(name = "user_id") private Long id; }'],
      [
        'app/Invoice.java',
        [
          '@Entity @Table(name = "invoices")',
          '@AttributeOverride(name = "id", column = @Column(name = "invoice_id"))',
          '@AssociationOverrides({ @AssociationOverride(name = "createdBy", joinColumns = @JoinColumn(name = "author_id")) })',
          'public class Invoice extends BaseEntity { }',
          '@Entity @Table(name = "payments_due")',
          'class PaymentDue { @Id private Long id; @ManyToOne @JoinColumn(name = "invoice_ref") private Invoice invoice; }',
        ].join('\n'),
      ],
      ['app/Audited.kt', '@MappedSuperclass\nabstract class Audited(@ManyToOne @JoinColumn(name = "updated_by") val updatedBy: User? = null)\n\n@Entity @Table(name = "shipments")\nclass Shipment(@Id val id: Long) : Audited()'],
    ];
    const all = files.map(([file, text]) => extractFile(file, Buffer.from(text), { dbtProjects: [] }));
    assert.deepEqual(
      described(resolveOrmEntities(all.flatMap((f) => f.joins), all.flatMap((f) => f.entities ?? []))).sort(),
      [
        // its key: on each entity's table, once for a single-table hierarchy (CardPayment is on payments)
        'app/Audited.kt:2 shipments.updated_by -> users.user_id orm-foreign-key',
        // an entity's overrides of what it inherits: its id column and its key's column
        'app/BaseEntity.java:4 invoices.author_id -> users.user_id orm-foreign-key',
        'app/BaseEntity.java:4 payments.created_by -> users.user_id orm-foreign-key',
        'app/BaseEntity.java:4 sales.orders.created_by -> users.user_id orm-foreign-key',
        'app/Invoice.java:6 payments_due.invoice_ref -> invoices.invoice_id orm-foreign-key',
        'app/Order.java:3 sales.orders.customer_id -> customer.id orm-foreign-key',
        // its id: the entities' (and no table of its own, nor a JOINED key to it)
        'app/OrderLine.java:4 order_lines.order_id -> sales.orders.entity_id orm-foreign-key',
      ],
    );
  });

  it('keys a JOINED subclass to its nearest entity ancestor past mapped superclasses, and a root to no library base', () => {
    const files: Array<[string, string]> = [
      ['a/Vehicle.java', '@Entity @Inheritance(strategy = InheritanceType.JOINED)\npublic class Vehicle extends AbstractPersistable<Long> { @Id private Long id; }'],
      ['a/Motorized.java', '@MappedSuperclass\npublic abstract class Motorized extends Vehicle { @ManyToOne private Engine engine; }'],
      ['a/Car.java', '@Entity\npublic class Car extends Motorized { }'],
    ];
    const all = files.map(([file, text]) => extractFile(file, Buffer.from(text), { dbtProjects: [] }));
    assert.deepEqual(described(resolveOrmEntities(all.flatMap((f) => f.joins), all.flatMap((f) => (f.entities ?? []).map((e) => ({ ...e, file: f.file }))))).sort(), [
      'a/Car.java:2 car.id -> vehicle.id orm-one-to-one',
      'a/Motorized.java:2 car.engine_id -> engine.id orm-foreign-key',
    ]);
  });

  it("keys an @ElementCollection's table to its entity, as written or by JPA's defaults (Keycloak's REDIRECT_URIS)", () => {
    const java = [
      '@Entity @Table(name = "CLIENT")',
      'public class ClientEntity {',
      '    @Id @Column(name = "ID") private String id;',
      '    @ElementCollection @Column(name = "VALUE")',
      '    @CollectionTable(name = "REDIRECT_URIS", joinColumns = { @JoinColumn(name = "CLIENT_ID") })',
      '    protected Set<String> redirectUris;',
      '    @ElementCollection @MapKeyColumn(name = "NAME") @Column(name = "VALUE")',
      '    @CollectionTable(name = "CLIENT_CONFIG", joinColumns = @JoinColumn(name = "CLIENT_ID"))',
      '    private Map<String, String> config;',
      '    @ElementCollection private List<String> webOrigins;',
      '}',
    ].join('\n');
    const f = extractFile('kc/ClientEntity.java', Buffer.from(java), { dbtProjects: [] });
    assert.deepEqual(described(resolveOrmEntities(f.joins, f.entities ?? [])), [
      'kc/ClientEntity.java:6 REDIRECT_URIS.CLIENT_ID -> CLIENT.ID orm-foreign-key',
      'kc/ClientEntity.java:9 CLIENT_CONFIG.CLIENT_ID -> CLIENT.ID orm-foreign-key',
      // JPA's defaults: <Entity>_<field>, <Entity>_<id column>, as Spring Boot names them
      'kc/ClientEntity.java:10 client_entity_web_origins.client_entity_id -> CLIENT.ID orm-foreign-key',
    ]);
  });

  it('reads table and column names given as string constants of the file (HAPI FHIR writes its tables so)', () => {
    const java = [
      '@Entity',
      '@Table(name = ResourceTable.HFJ_RESOURCE, indexes = {})',
      'public class ResourceTable {',
      '    public static final String HFJ_RESOURCE = "HFJ_RESOURCE";',
      '    static final String RES_ID = "RES_ID";',
      '    @Id @Column(name = RES_ID) private Long myId;',
      '}',
      '@Entity @Table(name = TAGS)',
      'class ResourceTag {',
      '    public static final String TAGS = "HFJ_RES_TAG";',
      '    public static final String NOT_CONSTANT = "A" + B;',
      '    @ManyToOne @JoinColumn(name = "RES_ID", referencedColumnName = ResourceTable.RES_ID) private ResourceTable myResource;',
      '    @ManyToOne @JoinColumn(name = NOT_CONSTANT) private Tag myTag;',
      // another class's constant, of a name this file also has: not this file's
      '    @ManyToOne @JoinColumn(name = Customer.TAGS) private Customer customer;',
      '}',
    ].join('\n');
    const kotlin = '@Entity\n@Table(name = Visit.TABLE)\nclass Visit(@Id val id: Long) {\n    companion object { const val TABLE = "visits" }\n}';
    const f = extractFile('a/ResourceTable.java', Buffer.from(java), { dbtProjects: [] });
    const k = extractFile('a/Visit.kt', Buffer.from(kotlin), { dbtProjects: [] });
    assert.deepEqual([...(f.entities ?? []), ...(k.entities ?? [])].map((e) => `${e.name} ${e.table.name}.${e.idColumn}`), ['ResourceTable HFJ_RESOURCE.RES_ID', 'ResourceTag HFJ_RES_TAG.undefined', 'Visit visits.id']);
    assert.deepEqual(described(resolveOrmEntities(f.joins, f.entities ?? [])), [
      'a/ResourceTable.java:12 HFJ_RES_TAG.RES_ID -> HFJ_RESOURCE.RES_ID orm-foreign-key',
      // not a constant the file gives whole: the default
      'a/ResourceTable.java:13 HFJ_RES_TAG.my_tag_id -> tag.id orm-foreign-key',
      'a/ResourceTable.java:14 HFJ_RES_TAG.customer_id -> customer.id orm-foreign-key',
    ]);
  });

  it("places an entity that shares its parent's table on the first ancestor with one, and survives a cycle", () => {
    const toC: JoinPair = { left: { table: { name: 'a' }, column: 'c_id' }, right: { table: { name: 'cs' }, column: '' }, clause: 'on', origin: { kind: 'code' }, toEntity: 'C', via: 'orm-foreign-key' };
    const chain = resolveOrmEntities([toC], [
      { name: 'C', table: { name: 'cs' }, extends: 'B', line: 1 },
      { name: 'B', table: { name: 'bs' }, extends: 'Root', line: 1 },
      { name: 'Root', table: { name: 'roots' }, idColumn: 'root_id', line: 1 },
    ]);
    assert.deepEqual(chain[0]!.right, { table: { name: 'roots' }, column: 'root_id' });
    const cycle = resolveOrmEntities([toC], [
      { name: 'C', table: { name: 'cs' }, extends: 'B', line: 1 },
      { name: 'B', table: { name: 'bs' }, extends: 'C', line: 1 },
    ]);
    assert.ok(['cs', 'bs'].includes(cycle[0]!.right.table!.name));
  });
});
