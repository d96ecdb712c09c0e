-- 0032_answer_documents.sql -- a document with an answer (answer.c): the
-- applicant may send one file with the answer to the secretariat's
-- question (an ECOSOC letter, a statute), kept like the contact form's
-- attachment: the path of the file in the content-addressed upload store
-- under the data folder, the name the applicant gave it, the type their
-- browser claimed and its size in bytes.  NULL on questions and on answers
-- sent without a document.
ALTER TABLE application_messages ADD COLUMN attachment_path TEXT;
ALTER TABLE application_messages ADD COLUMN attachment_name TEXT;
ALTER TABLE application_messages ADD COLUMN attachment_type TEXT;
ALTER TABLE application_messages ADD COLUMN attachment_size INTEGER;
