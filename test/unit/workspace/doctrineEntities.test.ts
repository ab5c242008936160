import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { JoinPair } from '../../../src/core/sql/types';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/doctrine');
const name = qualifiedColumn;
const facts = (file: string) => extractFile(`doctrine/${file}`, readFileSync(path.join(dir, file)), { dbtProjects: [] });
const keys = (joins: JoinPair[]) => joins.map((j) => [j.origin.line, name(j.left), j.toEntity, j.right.column, j.via, j.keyColumns]);

describe('Doctrine entities', () => {
  it("declares each entity's table and id column, by attributes or docblock annotations, else Symfony's defaults", () => {
    // (without an InheritanceType, an entity's subclasses would each have a table of their own: `none`)
    const none = 'none' as const;
    assert.deepEqual(facts('Order.php').entities, [{ name: 'Order', table: { schema: 'sales', name: 'orders' }, idColumn: 'order_id', inheritance: none, line: 12 }]);
    // no Table: the class name in snake_case; a bare Column: the property's name
    assert.deepEqual(facts('OrderLine.php').entities, [{ name: 'OrderLine', table: { name: 'order_line' }, idColumn: 'id', inheritance: none, line: 9 }]);
    assert.deepEqual(facts('Customer.php').entities, [{ name: 'Customer', table: { schema: 'sales', name: 'customers' }, idColumn: 'customer_code', inheritance: none, line: 13 }]);
    // attributes imported by their own names, arguments by position
    assert.deepEqual(facts('Tag.php').entities, [{ name: 'Tag', table: { schema: 'sales', name: 'tags' }, idColumn: 'id', inheritance: none, line: 12 }]);
  });

  it('owns a key for each ManyToOne / OneToOne / ManyToMany property without mappedBy (PHP 8 attributes)', () => {
    assert.deepEqual(keys(facts('Order.php').joins), [
      // the target from the property's type
      [22, 'sales.orders.cust_ref', 'Customer', 'customer_code', 'orm-foreign-key', undefined],
      // no JoinColumn: <property>_id to `id`, Doctrine's defaults
      [25, 'sales.orders.sales_channel_id', 'SalesChannel', 'id', 'orm-foreign-key', undefined],
      [29, 'sales.orders.invoice_id', 'Invoice', 'invoice_id', 'orm-one-to-one', undefined],
      [41, 'sales.order_tags.order_id', undefined, 'order_id', 'orm-foreign-key', undefined],
      [41, 'sales.order_tags.tag_id', 'Tag', 'id', 'orm-foreign-key', undefined],
    ]);
    assert.deepEqual(keys(facts('OrderLine.php').joins), [
      [16, 'order_line.order_id', 'Order', 'order_id', 'orm-foreign-key', undefined],
      // repeated JoinColumns: one composite key
      [22, 'order_line.store_id', 'Till', 'store_id', 'orm-foreign-key', 2],
      [22, 'order_line.till_no', 'Till', 'till_no', 'orm-foreign-key', 2],
      // a ManyToMany without JoinTable: Doctrine's join table and columns
      [26, 'order_line_discount.order_line_id', undefined, 'id', 'orm-foreign-key', undefined],
      [26, 'order_line_discount.discount_id', 'Discount', 'id', 'orm-foreign-key', undefined],
    ]);
    assert.deepEqual(keys(facts('Tag.php').joins), [
      // self-referencing: Doctrine tells the two keys apart
      [22, 'tag_tag.tag_source', undefined, 'id', 'orm-foreign-key', undefined],
      [22, 'tag_tag.tag_target', 'Tag', 'id', 'orm-foreign-key', undefined],
    ]);
  });

  it('reads docblock annotations, prose and apostrophes around them included', () => {
    assert.deepEqual(keys(facts('Customer.php').joins), [
      // a fully qualified target class
      [29, 'sales.customers.home_region', 'Region', 'region_id', 'orm-foreign-key', undefined],
      // a one-line docblock
      [32, 'sales.customers.segment_id', 'Segment', 'id', 'orm-foreign-key', undefined],
      // JoinColumns({ … }) spread over lines
      [41, 'sales.customers.pref_store', 'Till', 'store_id', 'orm-foreign-key', 2],
      [41, 'sales.customers.pref_till', 'Till', 'till_no', 'orm-foreign-key', 2],
      // JoinTable's nested joinColumns / inverseJoinColumns
      [50, 'customer_tags.customer_code', undefined, 'customer_code', 'orm-foreign-key', undefined],
      [50, 'customer_tags.tag_id', 'Tag', 'id', 'orm-foreign-key', undefined],
    ]);
  });

  it("reads a PHP 7 comment that starts with `#[` as a comment, and PHP 8 attributes as attributes", () => {
    const text = '<?php\n#[todo] don\'t forget\n$sql = "SELECT o.id FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id";\n#[ORM\\Column(\n  name: \'y\')]\nprivate ?int $y;\n';
    assert.deepEqual(extractFile('a.php', Buffer.from(text), { dbtProjects: [] }).joins.map((j) => j.origin.line), [3]);
    // attributes beside an enum case, or before a parameter of a union type, are attributes
    const cases = "<?php\nenum S: int {\n  #[Label('Paid')] case Paid = 1;\n  #[Label('Due')] case Due = 2;\n}\nfunction f(#[SensitiveParameter] int|string $id) { return 1; }\n";
    assert.deepEqual(extractFile('b.php', Buffer.from(cases), { dbtProjects: [] }).constants.map((c) => `${c.name} ${c.entries.length}`), ['S 2']);
  });

  it('gives a mapped superclass\'s id and keys to its entities, and places single-table and JOINED subclasses', () => {
    const files: Array<[string, string]> = [
      [
        'src/Entity/Timestamped.php',
        "<?php\nuse Doctrine\\ORM\\Mapping as ORM;\n#[ORM\\MappedSuperclass]\nabstract class Timestamped\n{\n    #[ORM\\Id, ORM\\Column(name: 'uid')]\n    protected int $id;\n    #[ORM\\ManyToOne(targetEntity: User::class)]\n    #[ORM\\JoinColumn(name: 'created_by', referencedColumnName: 'user_id')]\n    protected ?User $createdBy = null;\n    #[ORM\\ManyToMany(targetEntity: Tag::class)]\n    protected $tags;\n}\n",
      ],
      ['src/Entity/Invoice.php', "<?php\nuse Doctrine\\ORM\\Mapping as ORM;\n#[ORM\\Entity]\n#[ORM\\Table(name: 'invoices')]\nclass Invoice extends Timestamped\n{\n}\n"],
      [
        'src/Entity/Payment.php',
        [
          '<?php',
          'use Doctrine\\ORM\\Mapping as ORM;',
          '/**',
          ' * @ORM\\Entity',
          ' * @ORM\\Table(name="payments")',
          ' * @ORM\\InheritanceType("JOINED")',
          ' */',
          'class Payment extends \\App\\Entity\\Timestamped {}',
          '/** @ORM\\Entity @ORM\\Table(name="card_payments") */',
          'class CardPayment extends Payment {',
          '    /** @ORM\\ManyToOne(targetEntity="Card") @ORM\\JoinColumn(name="card_id") */',
          '    private $card;',
          '}',
          '/** @ORM\\Entity */',
          'class Animal {}',
          '/** @ORM\\Entity @ORM\\InheritanceType("SINGLE_TABLE") */',
          'class Pet { /** @ORM\\Id @ORM\\Column(type="integer") */ private $id; }',
          '/** @ORM\\Entity */',
          'class Dog extends Pet { /** @ORM\\ManyToOne(targetEntity="Owner") */ private $owner; }',
        ].join('\n'),
      ],
      [
        'src/Entity/Vehicle.php',
        [
          '<?php',
          'use Doctrine\\ORM\\Mapping as ORM;',
          '#[ORM\\Entity]',
          'class Vehicle {}',
          '#[ORM\\Entity, ORM\\Table(name: "cars")]',
          'class Car extends Vehicle implements \\JsonSerializable { #[ORM\\ManyToOne] private ?Owner $owner; }',
          '#[ORM\\Entity, ORM\\Table(name: "refunds"), ORM\\InheritanceType("JOINED")]',
          'class Refund extends \\Vendor\\AbstractModel implements \\Stringable {}',
        ].join('\n'),
      ],
    ];
    // (an entity in a .inc file is PHP's too)
    files.push(['src/Entity/Owner.inc', "<?php\nuse Doctrine\\ORM\\Mapping as ORM;\n#[ORM\\Entity, ORM\\Table(name: 'owners')]\nclass Owner { #[ORM\\Id, ORM\\Column] private int $id; }\n"]);
    const all = files.map(([file, text]) => extractFile(file, Buffer.from(text), { dbtProjects: [] }));
    assert.deepEqual(
      resolveOrmEntities(all.flatMap((f) => f.joins), all.flatMap((f) => (f.entities ?? []).map((e) => ({ ...e, file: f.file }))))
        .map((j) => `${j.origin.file}:${j.origin.line} ${name(j.left)} -> ${name(j.right)} ${j.via}`)
        .sort(),
      [
        // the JOINED subclass's own key, and its id a key to its parent's
        'src/Entity/Payment.php:10 card_payments.uid -> payments.uid orm-one-to-one',
        'src/Entity/Payment.php:12 card_payments.card_id -> card.id orm-foreign-key',
        // a single-table subclass's key is on its hierarchy's table
        'src/Entity/Payment.php:19 pet.owner_id -> owners.id orm-foreign-key',
        // the mapped superclass's key on each entity's table that extends it (its many-to-many left out); a JOINED
        // subclass's table has its parent's columns only through its parent
        'src/Entity/Timestamped.php:10 invoices.created_by -> user.user_id orm-foreign-key',
        'src/Entity/Timestamped.php:10 payments.created_by -> user.user_id orm-foreign-key',
        // without an InheritanceType, a subclass has its own table (and `implements` names no parent); a JOINED root
        // extending a class that is no entity has no key to it
        'src/Entity/Vehicle.php:6 cars.owner_id -> owners.id orm-foreign-key',
      ],
    );
  });

  it('reads a docblock right after `<?php`, and one on the line of the code before it', () => {
    const entities = (text: string) => extractFile('a.php', Buffer.from(text), { dbtProjects: [] }).entities?.map((e) => `${e.name}.${e.idColumn ?? ''}`);
    assert.deepEqual(entities('<?php\n/** @ORM\\Entity */\nclass Pet {}\n'), ['Pet.']);
    assert.deepEqual(entities('<?php\n/** @ORM\\Entity */ class Pet { /** @ORM\\Id @ORM\\Column(name="pet_id") */ private $id; }\n'), ['Pet.pet_id']);
  });

  it('reads nothing from a class that is not an entity, or from PHP without Doctrine', () => {
    const plain = extractFile('x/Plain.php', Buffer.from("<?php\n#[Attribute]\nclass Entity { #[ORM\\ManyToOne] private ?Customer $c; }\n// ORM\n"), { dbtProjects: [] });
    assert.deepEqual([plain.entities, plain.joins], [undefined, []]);
  });

  it("places keys on the tables other files' entities map, once the workspace is read (and from the cache)", async () => {
    const expected = [
      'src/Entity/Customer.php:29 sales.customers.home_region -> region.region_id',
      'src/Entity/Customer.php:32 sales.customers.segment_id -> segment.id',
      'src/Entity/Customer.php:41 sales.customers.pref_store -> till.store_id',
      'src/Entity/Customer.php:41 sales.customers.pref_till -> till.till_no',
      'src/Entity/Customer.php:50 customer_tags.customer_code -> sales.customers.customer_code',
      'src/Entity/Customer.php:50 customer_tags.tag_id -> sales.tags.id',
      'src/Entity/Order.php:22 sales.orders.cust_ref -> sales.customers.customer_code',
      'src/Entity/Order.php:25 sales.orders.sales_channel_id -> sales_channel.id',
      'src/Entity/Order.php:29 sales.orders.invoice_id -> invoice.invoice_id',
      'src/Entity/Order.php:41 sales.order_tags.order_id -> sales.orders.order_id',
      'src/Entity/Order.php:41 sales.order_tags.tag_id -> sales.tags.id',
      'src/Entity/OrderLine.php:16 order_line.order_id -> sales.orders.order_id',
      'src/Entity/OrderLine.php:22 order_line.store_id -> till.store_id',
      'src/Entity/OrderLine.php:22 order_line.till_no -> till.till_no',
      'src/Entity/OrderLine.php:26 order_line_discount.order_line_id -> order_line.id',
      'src/Entity/OrderLine.php:26 order_line_discount.discount_id -> discount.id',
      'src/Entity/Tag.php:22 tag_tag.tag_source -> sales.tags.id',
      'src/Entity/Tag.php:22 tag_tag.tag_target -> sales.tags.id',
    ];
    await coldAndWarm(dir, 'src/Entity', (snap, run) => {
      const described = snap.joins.filter((j) => j.via?.startsWith('orm')).map((j) => `${j.origin.file}:${j.origin.line} ${name(j.left)} -> ${name(j.right)}`);
      assert.deepEqual(described, expected, run);
    });
  });
});
