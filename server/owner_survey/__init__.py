"""所有者意向調査 by post (issue 22 part 3): the questionnaire as data, the letters to the owners of the
survey candidates, their one-time 回答コード, the answers (web and paper) and the returned letters."""
