import type { ExtractContext } from './classify';
import { extractFile } from './extractFile';
import type { FileKind } from './facts';
import { packFacts } from './packedFacts';

/**
 * A small workspace in memory that takes every extractor through its less common branches once.
 *
 * Why: V8 optimizes a hot function with the type feedback gathered so far. A branch not yet taken (an `E'…'` string,
 * a dollar quote, a `USING` join, a Java enum with codes) then deoptimizes the optimized code the first time a later
 * file takes it, and the function is compiled again — in every index worker, and the SQL tokenizer is the costliest
 * function to compile. On a cold index of 10k files this halved the deoptimizations and saved ~6% of all CPU.
 * Each worker runs it once, before its first batch (the rarer languages' files before the first batch holding one); it
 * costs a few milliseconds and its facts are dropped.
 */
export const PRIMING_CONTEXT: ExtractContext = { dbtProjects: [{ root: 'warm', name: 'warm', modelPaths: ['models'], seedPaths: ['seeds'] }] };

/** The corpus: path, kind, text (exported for the test that checks it still reaches every extractor). */
export const PRIMING_FILES: ReadonlyArray<readonly [string, FileKind, string]> = [
  [
    'ddl/tables.sql',
    'sql',
    `/* schema /* nested */ comment */
CREATE SCHEMA IF NOT EXISTS sales;
CREATE TABLE IF NOT EXISTS sales.customers (
  customer_id BIGINT IDENTITY(1,1) NOT NULL ENCODE az64 PRIMARY KEY,
  email character varying(256) NOT NULL UNIQUE,
  name varchar(max) DEFAULT 'unknown' ENCODE lzo,
  region_code smallint DEFAULT 0 CHECK (region_code >= 0),
  created_at timestamp without time zone DEFAULT getdate(),
  score numeric(12, 2),
  active boolean DEFAULT true
) DISTSTYLE KEY DISTKEY (customer_id) COMPOUND SORTKEY (created_at, customer_id) BACKUP NO;
CREATE TABLE "sales"."Orders" (
  "order_id" integer NOT NULL,
  customer_id bigint REFERENCES sales.customers (customer_id),
  status int2 NOT NULL,
  total decimal(10,2) NULL,
  placed_on date,
  CONSTRAINT orders_pk PRIMARY KEY (order_id),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES sales.customers (customer_id),
  UNIQUE (order_id, customer_id)
) DISTSTYLE EVEN INTERLEAVED SORTKEY (placed_on, status);
CREATE TEMP TABLE tmp_orders AS SELECT o.order_id, o.total FROM sales."Orders" o WHERE o.total > 0;
CREATE TABLE sales.orders_copy (LIKE sales."Orders" INCLUDING DEFAULTS);
CREATE EXTERNAL TABLE spectrum.events (event_id bigint, payload varchar(65535))
  PARTITIONED BY (day date) STORED AS PARQUET LOCATION 's3://bucket/events/';
ALTER TABLE sales."Orders" ADD CONSTRAINT orders_total_ck CHECK (total >= 0);
ALTER TABLE sales."Orders" ADD COLUMN note varchar(100) DEFAULT E'it\\'s';
ALTER TABLE sales."Orders" DROP CONSTRAINT orders_total_ck;
ALTER TABLE sales.orders_copy RENAME TO orders_archive;
ALTER TABLE sales.orders_archive RENAME COLUMN total TO amount;
ALTER TABLE sales.orders_archive ALTER COLUMN amount TYPE numeric(14,2), ALTER COLUMN note SET NOT NULL, note ENCODE zstd;
ALTER TABLE sales.orders_archive ALTER DISTKEY id, ALTER COMPOUND SORTKEY (id);
COMMENT ON TABLE sales.customers IS 'People who ordered';
COMMENT ON COLUMN sales.customers.email IS $$lower-cased, "unique"$$;
CREATE OR REPLACE FUNCTION sales.f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
CREATE MATERIALIZED VIEW sales.mv_revenue AS
  SELECT c.customer_id, SUM(o.total)::numeric(12,2) AS revenue, COUNT(*) AS orders
  FROM sales.customers c JOIN sales."Orders" o USING (customer_id)
  GROUP BY 1;
CREATE VIEW sales.v_open AS
WITH recent AS (SELECT * FROM sales."Orders" WHERE placed_on >= current_date - 30)
SELECT r.order_id, c.email || ' <' || c.name || '>' AS who, CASE WHEN r.status <> 7 THEN 'open' ELSE 'closed' END AS state
FROM recent r
LEFT JOIN sales.customers AS c ON c.customer_id = r.customer_id AND c.active
WHERE r.total BETWEEN 1 AND 1e6 AND r.status IN (1, 2, -3) AND NOT EXISTS (SELECT 1 FROM tmp_orders t WHERE t.order_id = r.order_id);
DROP TABLE IF EXISTS tmp_orders CASCADE;
DROP VIEW sales.v_gone;
CREATE TABLE broken (id int,
`,
  ],
  [
    'queries/report.sql',
    'sql',
    `-- monthly report
select date_trunc('month', o.placed_on) as month, c.region_code, count(distinct o.order_id)
from sales."Orders" as o
inner join sales.customers c on o.customer_id = c.customer_id
full outer join (select customer_id, max(score) s from sales.customers group by customer_id) x on x.customer_id = c.customer_id
cross join lateral (select 1) l
where o.status != 6 and c.email ilike '%@example.com' and o.total >= 10.5 and o.note ~* 'gift'
  and coalesce(o.total, 0) <= all (select total from sales."Orders")
group by 1, 2 having count(*) > 1 order by 1 desc limit 100;
update sales."Orders" set status = 7 from sales.customers c where c.customer_id = sales."Orders".customer_id;
insert into sales.orders_archive select * from sales."Orders" where placed_on < '2020-01-01';
delete from sales."Orders" using sales.customers c where c.customer_id = "Orders".customer_id and c.active = false;
select a.x, b.y from t1 a, t2 b where a.id = b.id and a.k = b.k;
select {{ var('x') }} from {% if true %} t {% else %} u {% endif %} where "Quoted ""Name""" = 'it''s';
`,
  ],
  [
    'warm/models/marts/fct_orders.sql',
    'dbt-model',
    `{{ config(materialized='incremental', unique_key=['order_id'], schema='marts', meta={'owner': 'finance', 'pii': false}) }}
{#- a Jinja comment -#}
with orders as (
    select * from {{ ref('stg_orders') }}
), customers as (
    select * from {{ ref('warm', 'stg_customers') }}
), payments as (
    select order_id, sum(amount) as paid from {{ source('stripe', 'payments') }} group by 1
)
select
    o.order_id,
    o.customer_id,
    c.email,
    coalesce(p.paid, 0) as paid,
    {{ dbt_utils.generate_surrogate_key(['o.order_id', 'c.customer_id']) }} as order_key
from orders o
left join customers c on c.customer_id = o.customer_id
left join payments p using (order_id)
{% if is_incremental() %}
where o.placed_on > (select max(placed_on) from {{ this }})
{% endif %}
`,
  ],
  [
    'warm/models/marts/schema.yml',
    'dbt-yaml',
    `version: 2
models:
  - name: fct_orders
    description: "One row per order"
    config:
      contract: {enforced: true}
    columns:
      - name: order_id
        data_type: integer
        constraints:
          - type: primary_key
        data_tests:
          - unique
          - not_null
      - name: customer_id
        tests:
          - relationships:
              to: ref('stg_customers')
              field: customer_id
          - relationships:
              arguments:
                to: source('crm', 'people')
                field: id
              config:
                severity: warn
      - name: status
        tests:
          - accepted_values:
              values: [1, 2, 3]
              quote: false
          - accepted_values:
              arguments:
                values: ['open', 'closed']
    data_tests:
      - dbt_utils.unique_combination_of_columns:
          combination_of_columns: [order_id, customer_id]
sources:
  - name: stripe
    schema: raw_stripe
    loader: fivetran
    tables:
      - name: payments
        identifier: stripe_payments
        columns:
          - name: order_id
            tests: [not_null]
seeds:
  - name: status_codes
    columns:
      - name: code
        tests: [unique]
`,
  ],
  ['warm/seeds/status_codes.csv', 'dbt-seed', 'code,label,active,changed_at,ratio\n1,Pending,true,2024-01-02,0.5\n2,"Paid, in full",false,2024-01-03 10:00:00,\n3,Shipped,TRUE,,1e3\n'],
  [
    'app/OrderStatus.php',
    'php',
    `<?php
namespace App;

enum Tier: int {
    case Gold = 1;
    case Silver = 2;
    public function label(): string { return match ($this) { self::Gold => 'Gold tier', Tier::Silver => 'Silver tier' }; }
}

class OrderStatus {
    const PENDING = 1;
    const PAID = 2;
    public const SHIPPED = 3;
    private const NEG = -1;

    public static $labels = [
        self::PENDING => 'Pending',
        2 => "Paid",
        '3' => 'Shipped',
    ];
    protected $legacy = array(1 => 'a', 2 => 'b');

    public function label(int $code): string {
        switch ($code) {
            case 1: return 'Pending';
            case 2:
                return "Paid {$code}";
            case self::SHIPPED: return 'Shipped';
            default: return 'Unknown';
        }
    }

    public function load($db, $id) {
        $sql = "SELECT o.order_id, c.email FROM sales.orders o " .
               "JOIN sales.customers c ON c.customer_id = o.customer_id WHERE o.order_id = " . (int) $id;
        $heredoc = <<<SQL
SELECT * FROM sales.orders WHERE status = 1
SQL;
        return $db->query($sql) ?? match ($id) { 1 => 'x', default => 'y' };
    }

    public function built($conn) {
        $a = DB::table('sales.orders as o')->join('sales.customers as c', 'c.customer_id', '=', 'o.customer_id')
            ->leftJoin('sales.shipments', function ($join) { $join->on('shipments.order_id', '=', 'o.order_id'); })->get();
        return $conn->createQueryBuilder()->from('sales.orders', 'o')->innerJoin('o', 'sales.lines', 'l', 'l.order_id = o.order_id');
    }
}

class Order extends Model {
    protected $table = 'sales.orders';
    protected $primaryKey = 'order_id';
    public function customer(): BelongsTo { return $this->belongsTo(Customer::class, 'customer_id'); }
    public function lines() { return $this->hasMany('App\Models\Line'); }
}

/** A Doctrine entity: @ORM\\Entity @ORM\\Table(name="sales.shipments") */
#[ORM\\Entity, ORM\\Table(name: 'shipments', schema: 'sales')]
class Shipment {
    /** @ORM\\Id @ORM\\Column(name="shipment_id") */
    private $id;
    #[ORM\\ManyToOne(targetEntity: Order::class)]
    #[ORM\\JoinColumn(name: 'order_id', referencedColumnName: 'order_id')]
    private ?Order $order = null;
}
`,
  ],
  [
    'app/status.py',
    'python',
    `"""Order codes."""
from enum import Enum, IntEnum

class Status(IntEnum):
    PENDING = 1
    PAID = 2
    SHIPPED = 3

class Color(str, Enum):
    RED = 'r'
    BLUE = "b"

LABELS: dict[int, str] = {
    1: 'Pending',
    2: "Paid",
    -1: '''unknown''',
}

CHOICES = (
    (1, 'pending'),
    (2, 'paid'),
)

class Order(models.Model):
    status = models.SmallIntegerField(choices=[(1, 'Open'), (2, 'Closed')], default=1)
    customer = models.ForeignKey('shop.Customer', on_delete=models.CASCADE, db_column='cust_id')

class Invoice(Base):
    __tablename__ = 'invoices'
    __table_args__ = {'schema': 'sales'}
    order_id: Mapped[int] = mapped_column(ForeignKey('sales.orders.order_id'))

def report(cur, since):
    cur.execute(f"select o.order_id from sales.orders o join sales.customers c "
                "on c.customer_id = o.customer_id where o.placed_on > %s", (since,))
    rows = [r for r in cur.fetchall() if r[0] % 2 == 0]
    return {k: v for k, v in LABELS.items()} or rows

class Shipment(Base):
    __tablename__ = 'shipments'
    id = Column('shipment_id', Integer, primary_key=True)
    invoice = relationship('Invoice', primaryjoin='Shipment.order_id == foreign(Invoice.order_id)')

Later = aliased(Shipment)

def shipped(session):
    return session.query(Invoice).join(Shipment, and_(Invoice.order_id == Shipment.order_id, Shipment.id == Later.id)).filter(Invoice.total == 1)
`,
  ],
  [
    'app/carriers.ts',
    'typescript',
    `export enum Carrier { Ups = 1, Fedex = 2, Dhl = 3 }
export const enum Flag { On = 'on', Off = 'off' }
export const CARRIER_NAMES: Record<number, string> = { 1: 'UPS', 2: \`FedEx\`, [3]: 'DHL' };
const labels = new Map<number, string>([[1, 'one'], [2, 'two']]);
export function carrierName(code: number): string {
  switch (code) {
    case 1: return 'UPS';
    case 2: return 'FedEx';
    default: return labels.get(code) ?? 'other';
  }
}
const sql = 'SELECT s.id FROM ops.shipments s JOIN ops.carriers c ON c.id = s.carrier_id';
const re = /a\\/b/g; const t = \`x \${sql} y\`;
const rows = knex('ops.shipments as s').join('ops.carriers as c', 'c.id', 's.carrier_id').where('s.id', id);
@Entity({ name: 'shipments', schema: 'ops' })
export class ShipmentEntity {
  @PrimaryGeneratedColumn({ name: 'shipment_id' }) id!: number;
  @ManyToOne(() => CarrierEntity, (c) => c.shipments) @JoinColumn({ name: 'carrier_id' }) carrier!: CarrierEntity;
  @OneToOne('Label') @JoinColumn() label?: unknown;
}
`,
  ],
  [
    'app/ShipmentState.java',
    'java',
    `package app;

public enum ShipmentState {
    CREATED(1, "Created"),
    IN_TRANSIT(2, "In transit"),
    DELIVERED(3, "Delivered");

    private final int code;
    private final String label;

    ShipmentState(int code, String label) { this.code = code; this.label = label; }

    public static final int LOST = -1;
    static String name(int code) {
        switch (code) {
            case 1: return "Created";
            case 2: return "In transit";
            default: return "?";
        }
    }
    String q = "SELECT s.id FROM ops.shipments s INNER JOIN ops.states t ON t.code = s.state";
    char c = '\\'';
}

@jakarta.persistence.Entity
@Table(name = "shipments", schema = "ops")
class Shipment {
    @Id @Column(name = "shipment_id") private Long id;
    @ManyToOne(fetch = FetchType.LAZY) @JoinColumn(name = "carrier_id", referencedColumnName = "id") private Carrier carrier;
    @OneToOne private Label label;
    @OneToMany(mappedBy = "shipment") private java.util.List<Event> events;
    public Carrier carrier() { return carrier; }
}
`,
  ],
  [
    'app/order.rb',
    'ruby',
    `class Order < ApplicationRecord
  self.table_name = "orders"
  belongs_to :customer, class_name: "Client", foreign_key: :client_id
  has_many :lines, dependent: :destroy
  enum status: { pending: 1, paid: 2 }, _prefix: true
  enum :channel, %i[web store]
  NAMES = { 1 => 'Card', 2 => "Cash" }.freeze

  def self.carrier(code)
    case code
    when 1 then "DHL"
    when 2, 3
      'UPS'
    end
  end

  def late
    find_by_sql(<<~SQL, id)
      SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = #{id}
    SQL
  end
end
`,
  ],
  [
    'app/Order.kt',
    'kotlin',
    `package app

enum class OrderStatus(val code: Int, val label: String) { PENDING(1, "Pending"), PAID(2, "Paid") }

object Channels { const val WEB = 1; const val STORE = 2 }

val names = mapOf(1 to "Card", 2 to "Cash")

fun label(code: Int): String = when (code) { 1 -> "Pending"; 2 -> "Paid"; else -> "?" }

@Entity
@Table(name = "orders", schema = "sales")
class Order(@Id @Column(name = "order_id") val id: Long, @ManyToOne @JoinColumn(name = "customer_id") val customer: Customer) {
    @OneToMany(mappedBy = "order") val lines: MutableSet<OrderLine> = mutableSetOf()
    val q = """SELECT o.order_id FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id WHERE o.order_id = \$id"""
}

object Lines : IntIdTable("sales.order_lines", "line_id") {
    val order = reference("order_id", Orders)
    val sku = varchar("sku", 32).references(Skus.code)
}
`,
  ],
  [
    'app/store.go',
    'go',
    `package store

type Status int

const (
	Pending Status = iota + 1
	Paid
	Shipped
)

var carriers = map[int]string{1: "DHL", 2: "UPS"}

func label(s Status) string {
	switch s {
	case Pending:
		return "Pending"
	case 2:
		return "Paid"
	}
	return "?"
}

type Order struct {
	ID         uint \`gorm:"primaryKey;column:order_id"\`
	CustomerID uint
	Customer   Customer
	Lines      []OrderLine
	Tags       []Tag \`gorm:"many2many:order_tags;"\`
}

func (Order) TableName() string { return "sales.orders" }

const late = \`SELECT o.order_id FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id\`
`,
  ],
  [
    'app/Shop.cs',
    'csharp',
    `using Microsoft.EntityFrameworkCore;

public enum PaymentState { Pending = 1, Settled, Refunded = 9 }

public static class Codes
{
    public const int Web = 1;
    public const int Store = 2;
    static readonly Dictionary<int, string> Names = new() { { 1, "Card" }, [2] = "Cash" };
    public static string Label(int code) => code switch { 1 => "Pending", 2 or 3 => "Open", _ => "?" };
    public const string Late = @"SELECT p.id FROM billing.payments p JOIN sales.orders o ON o.order_id = p.order_id";
}

[Table("payments", Schema = "billing")]
public class Payment
{
    [Key, Column("payment_id")] public int Id { get; set; }
    [Column("order_id")] public int OrderId { get; set; }
    public virtual Order Order { get; set; } = null!;
    public ICollection<Refund> Refunds { get; set; } = new List<Refund>();
}

public class ShopContext : DbContext
{
    public DbSet<Order> Orders { get; set; }
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(entity =>
        {
            entity.ToTable("orders", "sales");
            entity.HasKey(e => e.OrderId);
            entity.Property(e => e.OrderId).HasColumnName("order_id");
            entity.HasOne(d => d.Customer).WithMany(p => p.Orders).HasForeignKey(d => d.CustomerId);
            entity.HasMany(d => d.Tags).WithMany(p => p.Orders).UsingEntity<Dictionary<string, object>>("OrderTag",
                r => r.HasOne<Tag>().WithMany().HasForeignKey("TagId"),
                l => l.HasOne<Order>().WithMany().HasForeignKey("OrderId"));
        });
    }
}
`,
  ],
];

/** Kinds rarer in analytics workspaces: a worker primes them only once a batch brings one (a few ms each). */
const ON_DEMAND: ReadonlySet<FileKind> = new Set<FileKind>(['kotlin', 'go', 'csharp']);

/**
 * A worker's priming, called before each batch: the common corpus before its first, an on-demand kind's files before
 * the first batch that holds one. Returns the kinds it primed now.
 */
export function workerPrimer(): (batch: ReadonlyArray<{ kind: FileKind }>) => FileKind[] {
  let common = false;
  const primed = new Set<FileKind>();
  return (batch) => {
    const now: FileKind[] = [];
    if (!common) {
      common = true;
      now.push(...primeExtractors((kind) => !ON_DEMAND.has(kind)));
    }
    for (const { kind } of batch) {
      if (!ON_DEMAND.has(kind) || primed.has(kind)) continue;
      primed.add(kind);
      now.push(...primeExtractors((k) => k === kind));
    }
    return now;
  };
}

/**
 * Runs the extractors of the kinds `which` selects (all by default) over the built-in corpus once, and returns the
 * kinds of the files it ran. Never throws.
 */
export function primeExtractors(which: (kind: FileKind) => boolean = () => true): FileKind[] {
  const ran: FileKind[] = [];
  for (const [file, kind, text] of PRIMING_FILES) {
    if (!which(kind)) continue;
    if (!ran.includes(kind)) ran.push(kind);
    try {
      packFacts(extractFile(file, Buffer.from(text, 'utf8'), PRIMING_CONTEXT, kind), true);
    } catch {
      // priming is an optimization only
    }
  }
  return ran;
}
