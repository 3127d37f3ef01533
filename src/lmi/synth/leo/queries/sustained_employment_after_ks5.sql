-- Sustained employment after KS5 (SYNTHETIC-data example query).
-- Students at the end of KS5 in 2015/16, in paid employment across 1 October 2017 to
-- 31 March 2018 (a spell covering the whole period), by sex. Many are in HE then.
SELECT k5.KS5_GENDER AS sex,
       COUNT(*) AS students,
       SUM(CASE WHEN s.AE_ID IS NULL THEN 0 ELSE 1 END) AS in_sustained_employment,
       AVG(CASE WHEN s.AE_ID IS NULL THEN 0.0 ELSE 1.0 END) AS share
FROM KS5_Student k5
JOIN learner_ae_id_to_pmr_lookup p
  ON p.PupilMatchingRefAnonymous = k5.KS5_PupilMatchingRefAnonymous
LEFT JOIN (
    SELECT DISTINCT k.AE_ID
    FROM learner_ae_id_to_edukey_lookup k
    JOIN leo_employment e ON e.EduKey = k.EDUKEY
    WHERE e.StartDate <= '2017-10-01' AND e.EndDate >= '2018-03-31'
) s ON s.AE_ID = p.AE_ID
WHERE k5.KS5_ACADYR = '2015/2016'
GROUP BY k5.KS5_GENDER
ORDER BY k5.KS5_GENDER;
