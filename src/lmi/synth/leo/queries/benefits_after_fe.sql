-- Benefit spells after leaving FE (SYNTHETIC-data example query).
-- Learners whose aims ended between August 2016 and July 2017 (ILR aims -> learners ->
-- education_records_lookup -> AE_ID -> EDUKEY), with a benefit spell starting in the
-- following academic year, by benefit type.
SELECT b.Benefit_type,
       b.Out_of_work_benefit,
       COUNT(DISTINCT r.AE_ID) AS people,
       COUNT(*) AS spells
FROM aims a
JOIN learners l ON l.external_id = a.external_id
JOIN education_records_lookup r ON r.RECORDID = l.RECORDID
JOIN learner_ae_id_to_edukey_lookup k ON k.AE_ID = r.AE_ID
JOIN leo_benefit b ON b.EduKey = k.EDUKEY
WHERE a.end_date BETWEEN '2016-08-01' AND '2017-07-31'
  AND b.StartDate BETWEEN '2017-08-01' AND '2018-07-31'
GROUP BY b.Benefit_type, b.Out_of_work_benefit
ORDER BY b.Benefit_type, b.Out_of_work_benefit;
