-- Children looked after: GCSE results and earnings later (SYNTHETIC-data example query).
-- Pupils at the end of KS4 in 2010/11 to 2013/14 (KS4_Pupil), split by whether they were
-- ever looked after (cla_2006_to_2021), with their A*-C GCSE results (KS4_Exam, one row per
-- result) and their earnings in tax year 2022-23 (TaxYear 202223) through PMR -> AE_ID ->
-- EDUKEY, summed per AE_ID (a person may have several EDUKEYs). No earnings row: no PAYE pay.
SELECT CASE WHEN c.pmr IS NULL THEN 'not looked after' ELSE 'looked after' END AS looked_after,
       COUNT(*) AS pupils,
       AVG(CAST(COALESCE(x.a_to_c, 0) AS float)) AS mean_a_to_c_results,
       SUM(CASE WHEN pay.earnings IS NULL THEN 0 ELSE 1 END) AS with_earnings_2022_23,
       AVG(CAST(pay.earnings AS float)) AS mean_earnings_2022_23
FROM KS4_Pupil k
JOIN learner_ae_id_to_pmr_lookup p
  ON p.PupilMatchingRefAnonymous = k.KS4_PupilMatchingRefAnonymous
LEFT JOIN (
    SELECT DISTINCT PupilMatchingRefAnonymous AS pmr FROM cla_2006_to_2021
) c ON c.pmr = k.KS4_PupilMatchingRefAnonymous
LEFT JOIN (
    SELECT KS4_PupilMatchingRefAnonymous AS pmr, KS4_ACADYR AS acadyr,
           SUM(CASE WHEN KS4_GRADE IN ('A*', 'A', 'B', 'C') THEN 1 ELSE 0 END) AS a_to_c
    FROM KS4_Exam
    GROUP BY KS4_PupilMatchingRefAnonymous, KS4_ACADYR
) x ON x.pmr = k.KS4_PupilMatchingRefAnonymous AND x.acadyr = k.KS4_ACADYR
LEFT JOIN (
    SELECT kk.AE_ID, SUM(e.Earnings) AS earnings
    FROM learner_ae_id_to_edukey_lookup kk
    JOIN leo_earnings e ON e.Edukey = kk.EDUKEY
    WHERE e.TaxYear = 202223
    GROUP BY kk.AE_ID
) pay ON pay.AE_ID = p.AE_ID
WHERE k.KS4_ACADYR IN ('2010/2011', '2011/2012', '2012/2013', '2013/2014')
GROUP BY CASE WHEN c.pmr IS NULL THEN 'not looked after' ELSE 'looked after' END
ORDER BY 1;
