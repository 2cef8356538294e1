"""Mail as the email queue meets it, without the database: reading a message as it
arrives (``reading``), threading it onto a ticket (``threads``), writing a reply
(``compose``) and handing it to the centre's relay (``relay``).
"""
