import assert from 'node:assert/strict';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { resolveOrmEntities } from '../../../src/core/workspace/ormEntities';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/hibernate');
const context = { dbtProjects: [] };

describe('Hibernate XML mappings (*.hbm.xml)', () => {
  it('is a file kind of its own, apart from MyBatis mappers', () => {
    assert.deepEqual(['org/shop/Order.hbm.xml', 'mappers/Order.hbm.xml', 'mappers/OrderMapper.xml'].map((f) => classifyFile(f, context)), ['hibernate', 'hibernate', 'mybatis']);
  });

  it("places each class's keys on the tables the mappings declare, in any file (and from the cache)", async () => {
    await coldAndWarm(dir, '.', (snap, run) => {
      assert.deepEqual(
        snap.joins.map((j) => `${j.origin.file?.split('/').pop()}:${j.origin.line} ${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)} ${j.via}`),
        [
          // nested <column>, a fully qualified class
          'StudySubject.hbm.xml:10 clinical.study_subject.subject_id -> clinical.subject.subject_id orm-foreign-key',
          // a class mapped nowhere: its unqualified name, and `id`
          'StudySubject.hbm.xml:13 clinical.study_subject.study_id -> Study.id orm-foreign-key',
          // property-ref: the column of the target's property
          'StudySubject.hbm.xml:14 clinical.study_subject.owner_id -> clinical.user_account.user_name orm-foreign-key',
          // <set> with <one-to-many>: the target's key to this id (an inverse set repeats the other side: left out)
          'StudySubject.hbm.xml:17 clinical.study_event.study_subject_id -> clinical.study_subject.study_subject_id orm-foreign-key',
          // <many-to-many>: the join table's two keys
          'StudySubject.hbm.xml:21 clinical.subject_group_map.study_subject_id -> clinical.study_subject.study_subject_id orm-foreign-key',
          'StudySubject.hbm.xml:21 clinical.subject_group_map.study_group_id -> StudyGroup.id orm-foreign-key',
          'Subject.hbm.xml:5 clinical.subject.father_id -> clinical.subject.subject_id orm-foreign-key',
          // constrained one-to-one: the id is the key
          'Subject.hbm.xml:6 clinical.subject.subject_id -> Consent.id orm-one-to-one',
          // <joined-subclass>: its own table, its key to the parent's id
          'Subject.hbm.xml:17 billing.card_payment.payment_id -> billing.payment.payment_id orm-one-to-one',
          'Subject.hbm.xml:19 billing.card_payment.issuer_id -> Issuer.id orm-foreign-key',
          // <subclass>: the parent's table
          'Subject.hbm.xml:22 billing.payment.original_payment_id -> billing.payment.payment_id orm-foreign-key',
        ],
        run,
      );
    });
  });

  it('places a subclass mapped apart from its parent (`extends`) on the hierarchy, and reads out-of-range references as written', () => {
    const parent = '<hibernate-mapping><class name="org.zoo.Animal" table="animals"><id name="id" column="animal_id"/></class></hibernate-mapping>';
    const cat = '<hibernate-mapping><subclass name="Cat" extends="org.zoo.Animal"><many-to-one name="owner" class="Person" column="owner_id"/></subclass>' +
      '<joined-subclass name="Dog" table="dogs" extends="org.zoo.Animal"><key column="dog_id"/></joined-subclass><class name="X" table="&#x110000;"/></hibernate-mapping>';
    const facts = [extractFile('a/Animal.hbm.xml', Buffer.from(parent), context), extractFile('a/Cat.hbm.xml', Buffer.from(cat), context)];
    assert.ok(!facts[1]!.diagnostics.some((d) => d.message.startsWith('Extractor failed')));
    const joins = resolveOrmEntities(facts.flatMap((f) => f.joins), facts.flatMap((f) => f.entities ?? []));
    assert.deepEqual(joins.map((j) => `${qualifiedColumn(j.left)} -> ${qualifiedColumn(j.right)}`), ['animals.owner_id -> Person.id', 'dogs.dog_id -> animals.animal_id']);
  });

  it('reads nothing from other XML, and survives broken mappings', () => {
    assert.deepEqual(extractFile('a/Order.hbm.xml', Buffer.from('<beans><class name="X" table="x"/></beans>'), context).joins, []);
    for (const text of ['<hibernate-mapping><class name="A"><many-to-one class="B" column="b_id"', '<hibernate-mapping><class><id/><set><key/></set></class>', '<hibernate-mapping>' + '<class name="A">'.repeat(5000)]) {
      const f = extractFile('a/Broken.hbm.xml', Buffer.from(text), context);
      assert.ok(!f.diagnostics.some((d) => d.message.startsWith('Extractor failed')), text.slice(0, 80));
    }
  });
});
